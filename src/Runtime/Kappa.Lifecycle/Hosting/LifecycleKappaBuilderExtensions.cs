using Kappa.Hosting;
using Kappa.Sinks;
using Kappa.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kappa.Lifecycle.Hosting;

public static class LifecycleKappaBuilderExtensions
{
    /// <summary>
    /// Adds the lifecycle to the host: a <see cref="KappaLifecycle"/> singleton on the host's transport and
    /// <paramref name="database"/>, and a hosted service that deploys and heartbeats the host's processor versions, stops
    /// retired ones, and in automatic mode (<see cref="LifecycleHostOptions.Automatic"/>) promotes and retires by itself.
    /// </summary>
    public static KappaBuilder AddLifecycle(this KappaBuilder builder, Func<IServiceProvider, ISinkDatabase?> database, Action<LifecycleHostOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(database);
        var options = new LifecycleHostOptions();
        configure?.Invoke(options);
        options.Validate();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(services => new KappaLifecycle(
            services.GetService<IKappaTransport>() ?? throw new InvalidOperationException("The lifecycle needs a transport: call services.AddKappa(sp => transport) first."),
            database(services),
            options.Lifecycle));
        builder.Services.AddSingleton<IHostedService>(services => new LifecycleHostedService(
            services.GetRequiredService<KappaLifecycle>(),
            options,
            services,
            (services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger<LifecycleHostedService>()));
        return builder;
    }
}
