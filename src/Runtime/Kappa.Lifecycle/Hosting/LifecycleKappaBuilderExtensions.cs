using Kappa.Avro.Registry;
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
    /// The host refuses to start when a sink writer writes to another database than <paramref name="database"/>: promote
    /// switches all of a version's views in one transaction of the serving database. Verify uses the container's schema
    /// registry (<c>AddSchemaRegistry</c>) for processors with Confluent-framed inputs or outputs, or the processor's own
    /// <see cref="Kappa.Processing.ProcessorOptions.SchemaRegistry"/> when the host runs it.
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
            options.Lifecycle,
            schemaRegistry: services.GetService<ISchemaRegistry>()));
        // Ahead of every hosted service, so a host whose sinks write elsewhere than the serving database starts nothing.
        builder.Services.Insert(0, ServiceDescriptor.Singleton<IHostedService>(services => new ServingDatabaseCheck(services)));
        builder.Services.AddSingleton<IHostedService>(services => new LifecycleHostedService(
            services.GetRequiredService<KappaLifecycle>(),
            options,
            services,
            (services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger<LifecycleHostedService>()));
        return builder;
    }
}
