using Kappa.Avro;
using Kappa.Sinks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kappa.Hosting;

/// <summary>
/// Hosts one <see cref="SinkWriter{T}"/> on a dedicated long-running thread (consumers are thread-affine and the loop
/// blocks). Stopping the host commits the batch in hand and stops. The writer retries database and transport failures
/// itself; only an unusable table schema fails this service.
/// </summary>
public sealed class SinkWriterService<T> : BackgroundService
    where T : ITableRecord<T>, IAvroRecord<T>
{
    private readonly ILogger _logger;

    public SinkWriterService(SinkWriter<T> writer, ILogger<SinkWriterService<T>> logger)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(logger);
        Writer = writer;
        _logger = logger;
    }

    public SinkWriter<T> Writer { get; }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(
            () => RunOnThread(stoppingToken),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

    private void RunOnThread(CancellationToken stoppingToken)
    {
        Thread.CurrentThread.Name ??= "kappa sink " + Writer.Target.Table;
        try
        {
            Writer.Run(stoppingToken);
        }
        catch (Exception error)
        {
            _logger.LogCritical(error, "Sink writer {Table} failed and stopped: {Message}", Writer.Target.Table, error.Message);
            throw;
        }
    }
}
