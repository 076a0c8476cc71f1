using System.Collections.Concurrent;
using Kappa.Lifecycle.Tests.Infrastructure;
using Kappa.Naming;

namespace Kappa.Lifecycle.Tests;

/// <summary>The deployment registry on both transports: what it records, and that concurrent changes have one winner.</summary>
public sealed class RegistryTests
{
    private static VersionArtifacts Artifacts(string processor, int version) => new()
    {
        Processor = processor,
        Version = version,
        InputTopics = ["sales"],
        Sinks = ["customer-amounts"],
        Stores = ["totals"],
    };

    [Theory]
    [InlineData(TransportKind.EmbeddedLog)]
    [InlineData(TransportKind.KafkaMock)]
    public void EveryTransitionIsRecordedWithTimeInstanceAndReason(TransportKind kind)
    {
        using var transport = TestTransport.Create(kind);
        var time = new ManualTime(new DateTimeOffset(2026, 12, 3, 8, 0, 0, TimeSpan.Zero));
        var registry = new DeploymentRegistry(transport.Transport, "host-a", time);
        registry.Propose("amounts", 0, "deploy", [new VersionChange(1, VersionState.Replaying)], "first deploy", Artifacts("amounts", 1));
        time.Advance(TimeSpan.FromMinutes(1));
        registry.Propose("amounts", 1, "caught-up", [new VersionChange(1, VersionState.CaughtUp)], "lag 0");
        time.Advance(TimeSpan.FromMinutes(1));
        registry.Propose("amounts", 2, "promote", [new VersionChange(1, VersionState.Serving)], "forced");

        // Another client of the same log reads the same registry.
        DeploymentSnapshot snapshot = new DeploymentRegistry(transport.Connect(), "tool").Read();
        ProcessorDeployment amounts = Assert.Single(snapshot.Processors.Values);
        Assert.Equal(3, amounts.Sequence);
        VersionStatus v1 = Assert.Single(amounts.Versions);
        Assert.Equal(VersionState.Serving, v1.State);
        Assert.Equal(time.GetUtcNow(), v1.Since);
        Assert.Equal(["totals"], v1.Artifacts.Stores);
        Assert.Equal("amounts.v1.totals-changelog", Assert.Single(v1.Artifacts.ChangelogTopics));
        Assert.Equal(["deploy", "caught-up", "promote"], amounts.History.Select(t => t.Operation));
        Assert.Equal([1L, 2L, 3L], amounts.History.Select(t => t.Sequence));
        Assert.All(amounts.History, t => Assert.Equal("host-a", t.Instance));
        Assert.Equal(["first deploy", "lag 0", "forced"], amounts.History.Select(t => t.Reason));
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 8, 1, 0, TimeSpan.Zero), amounts.History[1].Time);
    }

    [Theory]
    [InlineData(TransportKind.EmbeddedLog)]
    [InlineData(TransportKind.KafkaMock)]
    public void OfConcurrentChangesBasedOnTheSameSequenceExactlyOneWins(TransportKind kind)
    {
        using var transport = TestTransport.Create(kind);
        new DeploymentRegistry(transport.Transport, "setup").Propose("amounts", 0, "deploy", [new VersionChange(1, VersionState.Replaying)], "deploy", Artifacts("amounts", 1));
        const int Writers = 6;
        var winners = new ConcurrentBag<(string Instance, DeploymentTransition Transition)>();
        var conflicts = new ConcurrentBag<DeploymentConflictException>();
        var others = new ConcurrentBag<Exception>();
        using var start = new Barrier(Writers);
        var transports = Enumerable.Range(0, Writers).Select(_ => transport.Connect()).ToArray();
        var threads = Enumerable.Range(0, Writers).Select(i => new Thread(() =>
        {
            var registry = new DeploymentRegistry(transports[i], $"writer-{i}");
            start.SignalAndWait();
            try
            {
                winners.Add(($"writer-{i}", registry.Propose("amounts", 1, "promote", [new VersionChange(1, VersionState.Serving)], $"promote by writer {i}")));
            }
            catch (DeploymentConflictException conflict)
            {
                conflicts.Add(conflict);
            }
            catch (Exception error)
            {
                others.Add(error);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => Assert.True(t.Join(TimeSpan.FromSeconds(60))));

        Assert.Empty(others);
        var (instance, won) = Assert.Single(winners);
        Assert.Equal(Writers - 1, conflicts.Count);
        Assert.All(conflicts, c =>
        {
            Assert.Equal(1, c.ExpectedSequence);
            Assert.Equal(instance, c.Winner?.Instance);
            Assert.Contains("was accepted first", c.Message, StringComparison.Ordinal);
        });
        DeploymentSnapshot snapshot = new DeploymentRegistry(transport.Transport).Read();
        ProcessorDeployment amounts = snapshot.Processors["amounts"];
        Assert.Equal(2, amounts.Sequence);
        Assert.Equal((instance, won.Reason, 2L), (amounts.History[^1].Instance, amounts.History[^1].Reason, amounts.History[^1].Sequence));
        Assert.Equal(VersionState.Serving, Assert.Single(amounts.Versions).State);
        Assert.Equal(Writers - 1, snapshot.Rejected);
        foreach (var t in transports.Where(t => !ReferenceEquals(t, transport.Transport)))
        {
            t.Dispose();
        }
    }

    [Fact]
    public void HeartbeatsTellWhichVersionsHaveLiveInstances()
    {
        using var transport = TestTransport.Create(TransportKind.EmbeddedLog);
        var time = new ManualTime(new DateTimeOffset(2026, 12, 3, 8, 0, 0, TimeSpan.Zero));
        new DeploymentRegistry(transport.Transport, "host-a", time).Heartbeat([KappaNames.ConsumerGroup("amounts", 1), KappaNames.ConsumerGroup("amounts", 2)]);
        time.Advance(TimeSpan.FromSeconds(20));
        new DeploymentRegistry(transport.Transport, "host-b", time).Heartbeat([KappaNames.ConsumerGroup("amounts", 2)]);
        var timeout = TimeSpan.FromSeconds(30);

        var registry = new DeploymentRegistry(transport.Transport, "tool", time);
        DeploymentSnapshot snapshot = registry.Read();
        Assert.Equal(["host-a"], snapshot.LiveInstances("amounts", 1, time.GetUtcNow(), timeout));
        Assert.Equal(["host-a", "host-b"], snapshot.LiveInstances("amounts", 2, time.GetUtcNow(), timeout));

        time.Advance(TimeSpan.FromSeconds(15));
        Assert.Empty(snapshot.LiveInstances("amounts", 1, time.GetUtcNow(), timeout));
        Assert.Equal(["host-b"], snapshot.LiveInstances("amounts", 2, time.GetUtcNow(), timeout));

        // A new heartbeat replaces the instance's previous one: host-a stopped running v1.
        new DeploymentRegistry(transport.Transport, "host-a", time).Heartbeat([]);
        snapshot = registry.Read();
        Assert.Equal(2, snapshot.Heartbeats.Count);
        Assert.Equal(["host-b"], snapshot.LiveInstances("amounts", 2, time.GetUtcNow(), timeout));
    }

    [Fact]
    public void AnUnreadableRecordIsReportedWithItsOffset()
    {
        using var transport = TestTransport.Create(TransportKind.EmbeddedLog);
        var registry = new DeploymentRegistry(transport.Transport);
        registry.Heartbeat([]);
        using (var producer = transport.Transport.CreateProducer(new Transport.ProducerSettings()))
        {
            producer.Produce(new Transport.OutgoingRecord(KappaNames.DeploymentsTopic, "x"u8, "not json"u8) { Partition = 0 });
            producer.Flush();
        }

        var error = Assert.Throws<InvalidDataException>(() => registry.Read());
        Assert.Contains("Record 1 of _kappa.deployments", error.Message, StringComparison.Ordinal);
    }
}
