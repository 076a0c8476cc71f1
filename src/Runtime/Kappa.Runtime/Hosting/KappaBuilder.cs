using Kappa.Processing;
using Kappa.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kappa.Hosting;

/// <summary>Adds processors to a service collection; returned by <see cref="KappaServiceCollectionExtensions.AddKappa(IServiceCollection, Func{IServiceProvider, IKappaTransport})"/>.</summary>
public sealed class KappaBuilder
{
    private readonly HashSet<string> _processors = new(StringComparer.Ordinal);

    internal KappaBuilder(IServiceCollection services)
    {
        Services = services;
    }

    public IServiceCollection Services { get; }

    /// <summary>The processor versions added so far (<c>{name}.v{N}</c>).</summary>
    public IReadOnlyCollection<string> Processors => _processors;

    /// <summary>
    /// Runs <typeparamref name="TProcessor"/> as a hosted service on its own long-running thread. The generated
    /// <c>Add{Processor}()</c> extension calls this with a factory that constructs the processor from the container.
    /// </summary>
    public KappaBuilder AddProcessor<TProcessor>(Func<IServiceProvider, TProcessor> factory, Action<ProcessorOptions>? configure = null)
        where TProcessor : class, IStreamProcessor<TProcessor>
    {
        ArgumentNullException.ThrowIfNull(factory);
        ProcessorDescriptor descriptor = TProcessor.KappaDescriptor;
        if (!_processors.Add(descriptor.Id))
        {
            throw new InvalidOperationException($"Processor {descriptor.Id} ({typeof(TProcessor).FullName}) is already registered; each processor version runs once per host.");
        }

        var options = new ProcessorOptions();
        configure?.Invoke(options);
        options.Validate();
        Services.AddSingleton<IHostedService>(services =>
        {
            IKappaTransport transport = services.GetService<IKappaTransport>()
                ?? throw new InvalidOperationException($"Processor {descriptor.Id} needs a transport: call services.AddKappa(sp => transport) before adding processors.");
            ILoggerFactory loggerFactory = services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
            TProcessor processor = factory(services);
            var runner = ProcessorRunner.Create(processor, transport, options, loggerFactory.CreateLogger<ProcessorRunner>());
            return new StreamProcessorService(runner, loggerFactory.CreateLogger<StreamProcessorService>());
        });
        return this;
    }
}
