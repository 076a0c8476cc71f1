using Kappa.Avro;
using Kappa.Transport;
using Microsoft.Extensions.Logging;

namespace Kappa.Sinks.Tests.Infrastructure;

/// <summary>A <see cref="SinkWriter{T}"/> running on a thread of its own for one test; every wait is bounded.</summary>
public sealed class WriterRun<T> : IDisposable
    where T : ITableRecord<T>, IAvroRecord<T>
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private Exception? _error;

    public WriterRun(IKappaTransport transport, TestDatabase database, SinkTarget target, SinkWriterOptions? options = null, ILogger? logger = null)
    {
        Transport = transport;
        Database = database;
        Target = target;
        Writer = new SinkWriter<T>(transport, database.Database, target, options ?? new SinkWriterOptions { RetryDelay = TimeSpan.FromMilliseconds(50), MaxRetryDelay = TimeSpan.FromMilliseconds(500), LagInterval = TimeSpan.FromMilliseconds(20) }, logger);
        _thread = new Thread(() =>
        {
            try
            {
                Writer.Run(_stop.Token);
            }
            catch (Exception error)
            {
                _error = error;
            }
        })
        { IsBackground = true, Name = "sink writer " + target.Table };
        _thread.Start();
    }

    public IKappaTransport Transport { get; }

    public TestDatabase Database { get; }

    public SinkTarget Target { get; }

    public SinkWriter<T> Writer { get; }

    /// <summary>Waits until the table committed every record of the topic (the sum of its offsets equals the topic's end offsets).</summary>
    public void WaitCaughtUp(TimeSpan? timeout = null)
    {
        int partitions = Transport.GetPartitionCount(Target.Topic) ?? 0;
        long end = 0;
        for (int p = 0; p < partitions; p++)
        {
            end += Transport.GetWatermarks(new TopicPartition(Target.Topic, p)).High;
        }

        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(90));
        while (true)
        {
            if (_error is not null)
            {
                throw new InvalidOperationException($"The sink writer of {Target.Table} failed.", _error);
            }

            long committed = Database.CommittedOffsets(Target.Table);
            if (committed == end)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{Target.Table} committed offsets summing to {committed} of the topic's {end} within the timeout.");
            }

            Thread.Sleep(50);
        }
    }

    public void Stop()
    {
        _stop.Cancel();
        if (!_thread.Join(TimeSpan.FromSeconds(60)))
        {
            throw new TimeoutException($"The sink writer of {Target.Table} did not stop within 60 s.");
        }

        if (_error is not null)
        {
            throw new InvalidOperationException($"The sink writer of {Target.Table} failed.", _error);
        }
    }

    public void Dispose()
    {
        if (!_stop.IsCancellationRequested)
        {
            _stop.Cancel();
            _thread.Join(TimeSpan.FromSeconds(60));
        }

        _stop.Dispose();
    }
}
