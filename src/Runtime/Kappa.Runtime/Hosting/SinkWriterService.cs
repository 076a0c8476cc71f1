using Kappa.Avro;
using Kappa.Sinks;
using Microsoft.Extensions.Logging;

namespace Kappa.Hosting;

/// <summary>
/// Hosts one <see cref="SinkWriter{T}"/> on a dedicated thread. Stopping the host commits the batch in hand and stops.
/// The writer retries database and transport failures itself; only an unusable table schema fails this service.
/// </summary>
public sealed class SinkWriterService<T> : DedicatedThreadService, ISinkWriterService
    where T : ITableRecord<T>, IAvroRecord<T>
{
    public SinkWriterService(SinkWriter<T> writer, ILogger<SinkWriterService<T>> logger)
        : base(logger)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Writer = writer;
    }

    public SinkWriter<T> Writer { get; }

    public SinkTarget Target => Writer.Target;

    public ISinkDatabase Database => Writer.Database;

    public long Lag => Writer.Lag;

    protected override string LoopName => "Sink writer " + Writer.Target.Table;

    protected override void Run(CancellationToken stoppingToken) => Writer.Run(stoppingToken);
}
