using Kappa.Log;
using Kappa.Processing;
using Kappa.Transport;

namespace Kappa.Runtime.Tests.Processing;

/// <summary>ProcessorLag on the embedded log: lag before, during and after a replay, and catch-up runs.</summary>
public sealed class ProcessorLagTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "kappa-lag-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public void Lag_counts_every_record_before_the_first_run_and_none_after_catching_up()
    {
        using var transport = new EmbeddedLogTransport(new EmbeddedLogOptions { Directory = _dir, FsyncPolicy = FsyncPolicy.Never });
        transport.EnsureTopics([new TopicSpec("orders", Partitions: 3)]);
        Write(transport, count: 300, partitionOf: i => i % 3);

        var runner = ProcessorRunner.Create(new EnrichOrders(), transport, ProcessorTestKit.FastOptions());
        IReadOnlyList<PartitionLag> before = ProcessorLag.Measure(transport, runner.Descriptor);
        Assert.Equal(3, before.Count);
        Assert.All(before, l => Assert.Null(l.Committed));
        Assert.All(before, l => Assert.Equal(100, l.Lag));
        Assert.False(ProcessorLag.IsCaughtUp(before));
        Assert.True(ProcessorLag.IsCaughtUp(before, threshold: 100));

        IReadOnlyList<PartitionLag> after = ProcessorLag.RunUntilCaughtUp(runner, transport, TimeSpan.FromMinutes(1));
        Assert.All(after, l => Assert.Equal(0, l.Lag));
        Assert.All(after, l => Assert.Equal(100, l.Done));
        Assert.Equal(300, runner.RecordsProcessed);

        // New input makes the group lag again by exactly what was added.
        Write(transport, count: 7, partitionOf: _ => 1);
        IReadOnlyList<PartitionLag> later = ProcessorLag.Measure(transport, runner.Descriptor);
        Assert.Equal([0L, 7L, 0L], later.Select(l => l.Lag));
    }

    [Fact]
    public void Catch_up_of_a_faulting_processor_surfaces_the_fault_and_leaves_the_lag()
    {
        using var transport = new EmbeddedLogTransport(new EmbeddedLogOptions { Directory = _dir, FsyncPolicy = FsyncPolicy.Never });
        transport.EnsureTopics([new TopicSpec("orders", Partitions: 1)]);
        Write(transport, count: 5, partitionOf: _ => 0, region: i => i == 2 ? "boom" : "eu");

        var runner = ProcessorRunner.Create(new EnrichOrders(), transport, ProcessorTestKit.FastOptions(HandlerErrorPolicy.Stop));
        var ex = Assert.Throws<ProcessorFaultedException>(() => ProcessorLag.RunUntilCaughtUp(runner, transport, TimeSpan.FromMinutes(1)));
        Assert.Contains("boom", ex.ToString());

        // Records before the failing one are committed; the failing one and the rest are still to do.
        PartitionLag lag = Assert.Single(ProcessorLag.Measure(transport, runner.Descriptor));
        Assert.Equal(2, lag.Committed);
        Assert.Equal(3, lag.Lag);
    }

    private static void Write(IKappaTransport transport, int count, Func<int, int> partitionOf, Func<int, string>? region = null)
    {
        using IKappaProducer producer = transport.CreateProducer(new ProducerSettings());
        for (int i = 0; i < count; i++)
        {
            byte[] value = ProcessorTestKit.Encode(new Order { Id = $"o-{i}", Amount = i + 1, Region = region?.Invoke(i) ?? "eu" });
            producer.Produce(new OutgoingRecord("orders", ProcessorTestKit.Key($"o-{i}"), value) { Partition = partitionOf(i), TimestampMs = 1_700_000_000_000 + i });
        }

        producer.Flush();
    }
}
