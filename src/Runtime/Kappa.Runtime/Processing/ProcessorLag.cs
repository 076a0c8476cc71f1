using Kappa.Transport;

namespace Kappa.Processing;

/// <summary>
/// Measures a processor version's progress over its inputs: committed position against log end, per partition.
/// "Caught up" means no partition has more than a threshold of records left. Works on any transport.
/// </summary>
public static class ProcessorLag
{
    /// <summary>Lag of <paramref name="descriptor"/>'s consumer group on every partition of every input topic.</summary>
    public static IReadOnlyList<PartitionLag> Measure(IKappaTransport transport, ProcessorDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(descriptor);
        var result = new List<PartitionLag>();

        // A consumer that never subscribes reads the group's committed offsets without joining the group.
        using IKappaConsumer probe = transport.CreateConsumer(new ConsumerSettings { GroupId = descriptor.ConsumerGroup, ClientId = descriptor.ConsumerGroup + ".lag-probe" });
        foreach (string topic in descriptor.InputTopics)
        {
            int partitions = transport.GetPartitionCount(topic) ?? 0;
            for (int p = 0; p < partitions; p++)
            {
                var tp = new TopicPartition(topic, p);
                WatermarkOffsets marks = transport.GetWatermarks(tp);
                result.Add(new PartitionLag(tp, probe.Committed(tp), marks.Low, marks.High));
            }
        }

        return result;
    }

    /// <summary>True when every input partition has at most <paramref name="threshold"/> records left.</summary>
    public static bool IsCaughtUp(IReadOnlyList<PartitionLag> lags, long threshold = 0) => lags.All(l => l.Lag <= threshold);

    /// <summary>
    /// Runs <paramref name="runner"/> on the calling thread until its group has caught up with the inputs' log end
    /// (as measured when it caught up), then stops it cleanly (flush, commit, leave). Throws <see cref="TimeoutException"/>
    /// naming the remaining lag when it does not catch up within <paramref name="timeout"/>.
    /// </summary>
    public static IReadOnlyList<PartitionLag> RunUntilCaughtUp(ProcessorRunner runner, IKappaTransport transport, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runner);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        IReadOnlyList<PartitionLag> last = [];
        Exception? failure = null;
        var watcher = new Thread(() =>
        {
            try
            {
                DateTime deadline = DateTime.UtcNow + timeout;
                while (!stop.IsCancellationRequested)
                {
                    last = Measure(transport, runner.Descriptor);
                    if (IsCaughtUp(last))
                    {
                        break;
                    }

                    if (DateTime.UtcNow > deadline)
                    {
                        failure = new TimeoutException($"{runner.Descriptor.Id} did not catch up within {timeout}; lag: {string.Join(", ", last.Where(l => l.Lag > 0).Select(l => $"{l.Partition}={l.Lag}"))}.");
                        break;
                    }

                    stop.Token.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(20));
                }
            }
            catch (Exception ex)
            {
                failure = ex;
            }
            finally
            {
                stop.Cancel();
            }
        })
        { IsBackground = true, Name = "kappa-lag-watch" };
        watcher.Start();
        try
        {
            runner.Run(stop.Token);
        }
        finally
        {
            stop.Cancel();
            watcher.Join();
        }

        if (failure is not null)
        {
            throw failure;
        }

        return Measure(transport, runner.Descriptor);
    }
}
