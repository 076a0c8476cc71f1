using Kappa.Avro;
using Kappa.Avro.Registry;
using Kappa.Processing;
using Kappa.Sinks;
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
    private readonly HashSet<string> _sinks = new(StringComparer.Ordinal);

    internal KappaBuilder(IServiceCollection services)
    {
        Services = services;
    }

    public IServiceCollection Services { get; }

    /// <summary>The processor versions added so far (<c>{name}.v{N}</c>).</summary>
    public IReadOnlyCollection<string> Processors => _processors;

    /// <summary>The sink tables added so far (<c>{sink}_v{N}</c>).</summary>
    public IReadOnlyCollection<string> Sinks => _sinks;

    /// <summary>
    /// Materializes version <paramref name="version"/> of <paramref name="sink"/> (the topic <c>{sink}.v{N}</c>) into the
    /// table <c>{sink}_v{N}</c> of the database <paramref name="database"/> returns, with a <see cref="SinkWriter{T}"/> on
    /// its own long-running thread, on the transport given to <c>AddKappa</c>. One writer per table: adding the same
    /// sink version twice throws. The topic's value format is <see cref="SinkWriterOptions.ValueFormat"/> (unframed Avro
    /// unless <paramref name="configure"/> says otherwise); a framed sink without <see cref="SinkWriterOptions.SchemaRegistry"/>
    /// uses the container's <see cref="ISchemaRegistry"/> (<see cref="AddSchemaRegistry"/>).
    /// </summary>
    public KappaBuilder AddSink<T>(string sink, int version, Func<IServiceProvider, ISinkDatabase> database, Action<SinkWriterOptions>? configure = null)
        where T : ITableRecord<T>, IAvroRecord<T>
    {
        ArgumentNullException.ThrowIfNull(database);
        var options = new SinkWriterOptions();
        configure?.Invoke(options);
        return AddSink<T>(new SinkTarget(sink, version), database, options);
    }

    /// <summary>
    /// Materializes the sink <paramref name="sink"/> of the processor version <paramref name="processor"/> describes (the
    /// topic <c>{sink}.v{N}</c> into the table <c>{sink}_v{N}</c>), reading values in the format the processor writes them
    /// (<see cref="ProcessorDescriptor.OutputFormat(string)"/>: a <see cref="ValueFormat.ConfluentAvro"/> output is read
    /// through the schema registry, with every registered writer schema resolved to <typeparamref name="T"/>). The
    /// generated <c>Add{Processor}Tables</c> calls this. <paramref name="configure"/> may not set another value format.
    /// </summary>
    public KappaBuilder AddSink<T>(ProcessorDescriptor processor, string sink, Func<IServiceProvider, ISinkDatabase> database, Action<SinkWriterOptions>? configure = null)
        where T : ITableRecord<T>, IAvroRecord<T>
    {
        ArgumentNullException.ThrowIfNull(processor);
        ArgumentNullException.ThrowIfNull(database);
        ValueFormat format = processor.OutputFormat(sink);
        var options = new SinkWriterOptions { ValueFormat = format };
        configure?.Invoke(options);
        var target = new SinkTarget(sink, processor.Version);
        if (options.ValueFormat != format)
        {
            throw new InvalidOperationException(
                $"Sink table {target.Table}: processor {processor.Id} writes {target.Topic} as {format}, but the sink options say {options.ValueFormat}; leave SinkWriterOptions.ValueFormat to the processor's [Output(Format = ...)].");
        }

        return AddSink<T>(target, database, options);
    }

    private KappaBuilder AddSink<T>(SinkTarget target, Func<IServiceProvider, ISinkDatabase> database, SinkWriterOptions options)
        where T : ITableRecord<T>, IAvroRecord<T>
    {
        ArgumentNullException.ThrowIfNull(database);
        if (!_sinks.Add(target.Table))
        {
            throw new InvalidOperationException($"Sink table {target.Table} ({typeof(T).FullName}) is already registered; each table has exactly one writer.");
        }

        options.Validate();
        Services.AddSingleton<IHostedService>(services =>
        {
            IKappaTransport transport = services.GetService<IKappaTransport>()
                ?? throw new InvalidOperationException($"Sink {target.Table} needs a transport: call services.AddKappa(sp => transport) before adding sinks.");
            ILoggerFactory loggerFactory = services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
            // A framed sink: the options' registry, else the container's (AddSchemaRegistry).
            if (options.ValueFormat == ValueFormat.ConfluentAvro)
            {
                options.SchemaRegistry ??= services.GetService<ISchemaRegistry>();
            }

            ISinkDatabase db = database(services) ?? throw new InvalidOperationException($"The database factory of sink {target.Table} returned null.");
            var writer = new SinkWriter<T>(transport, db, target, options, loggerFactory.CreateLogger<SinkWriter<T>>());
            return new SinkWriterService<T>(writer, loggerFactory.CreateLogger<SinkWriterService<T>>());
        });
        return this;
    }

    /// <summary>
    /// Registers the schema registry of Confluent-framed inputs and outputs (<see cref="ValueFormat.ConfluentAvro"/>) for
    /// every processor whose <see cref="ProcessorOptions.SchemaRegistry"/> is not set, and every framed sink whose
    /// <see cref="SinkWriterOptions.SchemaRegistry"/> is not set: a <c>ConfluentSchemaRegistry</c>
    /// (Kappa.Kafka), an <c>EmbeddedSchemaRegistry</c> (Kappa.EmbeddedLog) or any <see cref="ISchemaRegistry"/>.
    /// </summary>
    public KappaBuilder AddSchemaRegistry(Func<IServiceProvider, ISchemaRegistry> registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        Services.AddSingleton(registry);
        return this;
    }

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
            // Framed inputs and outputs: the options' registry, else the container's (AddSchemaRegistry).
            options.SchemaRegistry ??= services.GetService<ISchemaRegistry>();
            TProcessor processor = factory(services);
            var runner = ProcessorRunner.Create(processor, transport, options, loggerFactory.CreateLogger<ProcessorRunner>());
            return new StreamProcessorService(runner, loggerFactory.CreateLogger<StreamProcessorService>());
        });
        return this;
    }
}
