using Kappa.Lifecycle.Tests.Infrastructure;
using Kappa.Lifecycle.Tests.Model;
using Kappa.Naming;
using Kappa.Transport;

namespace Kappa.Lifecycle.Tests;

/// <summary>
/// The whole reprocessing story with real processors, sink writers and a serving database: v1 serving; v2 replays
/// from offset 0 while v1 serves; promote refused before catch-up, accepted after; readers of the view never fail and
/// never see two versions at once; rollback; retire deletes v1's artefacts and nothing of v2.
/// </summary>
public sealed class LifecycleEndToEndTests
{
    private const string View = "customer_amounts";

    [Theory]
    [InlineData(TransportKind.EmbeddedLog, DatabaseKind.Sqlite)]
    [InlineData(TransportKind.KafkaMock, DatabaseKind.PostgreSql)]
    public void AVersionIsReplayedVerifiedPromotedRolledBackAndTheOldOneRetired(TransportKind transportKind, DatabaseKind databaseKind)
    {
        using var transport = TestTransport.Create(transportKind);
        using var db = TestDatabase.Create(databaseKind);
        var lifecycle = new KappaLifecycle(transport.Transport, db.Database, new LifecycleOptions { Instance = "test-operator", StopTimeout = TimeSpan.FromSeconds(5) });
        Sales.Produce(transport.Transport, 0, 300);

        // v1: deployed, caught up, verified, promoted: it serves.
        lifecycle.Deploy(AmountsV1.KappaDescriptor);
        using VersionRun<CustomerAmount> v1 = VersionRun<CustomerAmount>.Start(new AmountsV1(), transport.Transport, db.Database);
        Wait.CaughtUp(lifecycle, 1, v1.ThrowIfFailed);
        Assert.True(lifecycle.Verify(() => new AmountsV1()).Passed);
        Wait.TableCaughtUp(lifecycle, 1, v1.ThrowIfFailed);
        PromoteResult first = lifecycle.Promote(AmountsV1.Name, 1);
        Assert.Equal([View], first.SwitchedViews);
        Assert.Null(first.Standby);
        Assert.Equal(1, db.Database.GetServingVersion(AmountsV1.Sink));

        using var readers = new ViewReaders(db.Open, View);
        Wait.Until(() => readers.VersionsSeen.ContainsKey(1), seen => seen, "a reader saw v1"); // reading before anything changes
        Sales.Produce(transport.Transport, 300, 2_000);

        // v2 is deployed and has not run yet: promote is refused and nothing changes.
        lifecycle.Deploy(AmountsV2.KappaDescriptor);
        var refused = Assert.Throws<LifecycleRefusedException>(() => lifecycle.Promote(AmountsV1.Name, 2));
        Assert.Contains("not caught up: 2300 records left", refused.Message, StringComparison.Ordinal);
        Assert.Contains("not verified", refused.Message, StringComparison.Ordinal);
        Assert.Equal(1, db.Database.GetServingVersion(AmountsV1.Sink));
        Assert.Equal(VersionState.Replaying, lifecycle.Registry.Read().Processors[AmountsV1.Name].Find(2)!.State);

        // v2 replays from offset 0 while v1 keeps serving; status shows its progress. The first status is read before v2
        // starts, so the rate measured against it counts the whole replay (read after the start, it could find v2 already
        // caught up on a loaded machine, and a rate of 0).
        LifecycleStatus status = lifecycle.Status();
        ProcessorStatus amounts = Assert.Single(status.Processors);
        Assert.Equal([1, 2], amounts.Versions.Select(v => v.Version));
        Assert.Equal(VersionState.Serving, amounts.Versions[0].State);
        Assert.Equal(2_300, amounts.Versions[1].Total);
        Assert.Equal(2_300, amounts.Versions[1].Lag);
        Assert.Equal(3, amounts.Versions[1].Partitions.Count);
        Assert.Equal([new SinkServing(AmountsV1.Sink, 1)], amounts.Sinks);
        using VersionRun<CustomerAmount> v2 = VersionRun<CustomerAmount>.Start(new AmountsV2(), transport.Transport, db.Database);
        LifecycleStatus later = Wait.Until(() => lifecycle.Status(status), s => s.Processors[0].Versions[1].Lag == 0, "v2 caught up", check: v2.ThrowIfFailed);
        Assert.True(later.Processors[0].Versions[1].RecordsPerSecond > 0);
        Assert.Equal(TimeSpan.Zero, later.Processors[0].Versions[1].Eta);

        // Caught up but not verified: still refused. Caught up, its table joined the serving view ahead of the promote
        // (PostgreSQL's routed view; the serving record still names v1, so readers see nothing new).
        Wait.TableCaughtUp(lifecycle, 2, v2.ThrowIfFailed);
        Assert.Contains(lifecycle.ObserveCaughtUp(), id => id == "amounts.v2");
        if (databaseKind == DatabaseKind.PostgreSql)
        {
            Assert.Equal(["customer_amounts_v1", "customer_amounts_v2"], db.ViewReads(View));
        }

        Assert.Equal(1, db.Database.GetServingVersion(AmountsV1.Sink));
        refused = Assert.Throws<LifecycleRefusedException>(() => lifecycle.Promote(AmountsV1.Name, 2));
        Assert.DoesNotContain("caught up", refused.Message, StringComparison.Ordinal);

        VerificationResult verification = lifecycle.Verify(() => new AmountsV2());
        Assert.True(verification.Deterministic);
        Assert.Equal(2_300, verification.Records);
        Assert.Equal(1, verification.ComparedWith);
        OutputDiff diff = Assert.Single(verification.Diffs);
        Assert.Equal((0L, 50L, 0L, 0L), (diff.Equal, diff.Changed, diff.OnlyInNew, diff.OnlyInOld));
        Assert.Equal(["c000", "c001", "c002", "c003", "c004"], diff.ChangedSamples);

        Assert.False(readers.VersionsSeen.ContainsKey(2), "a reader saw v2 before its promote");
        PromoteResult promoted = lifecycle.Promote(AmountsV1.Name, 2);
        Assert.Equal((2, (int?)1), (promoted.Serving, promoted.Standby));
        Assert.Equal(2, db.Database.GetServingVersion(AmountsV1.Sink));
        Wait.Until(() => readers.VersionsSeen.ContainsKey(2), seen => seen, "a reader saw v2");

        // Rollback: v1 serves again, v2 waits in Standby; then forward again.
        PromoteResult back = lifecycle.Rollback(AmountsV1.Name);
        Assert.Equal((1, (int?)2), (back.Serving, back.Standby));
        Assert.Equal(1, db.Database.GetServingVersion(AmountsV1.Sink));
        Assert.Equal(VersionState.Standby, lifecycle.Registry.Read().Processors[AmountsV1.Name].Find(2)!.State);
        lifecycle.Promote(AmountsV1.Name, 2);
        Assert.Equal(2, db.Database.GetServingVersion(AmountsV1.Sink));

        // Retire: the serving version is refused; v1's artefacts go, and nothing of v2's.
        Assert.Throws<LifecycleRefusedException>(() => lifecycle.Retire(AmountsV1.Name, 2));
        v1.Stop();
        var topicsBefore = transport.Transport.ListTopics().ToHashSet();
        var groupsBefore = transport.Transport.ListConsumerGroups().ToHashSet();
        var tablesBefore = db.Tables().ToHashSet();
        RetirePlan dryRun = lifecycle.Retire(AmountsV1.Name, 1, dryRun: true);
        Assert.False(dryRun.Executed);
        Assert.Equal(topicsBefore, transport.Transport.ListTopics().ToHashSet());
        Assert.Equal(VersionState.Standby, lifecycle.Registry.Read().Processors[AmountsV1.Name].Find(1)!.State);
        Assert.Contains("customer-amounts.v1", dryRun.Topics);
        Assert.Equal(["amounts.v1"], dryRun.ConsumerGroups);
        Assert.Equal(["customer_amounts_v1"], dryRun.Tables);
        Assert.All(dryRun.Topics, t => Assert.Contains(".v1", t, StringComparison.Ordinal));

        // On Kafka the deletions go through the real admin client to the wire-level test broker that stands in for the
        // mock cluster's missing admin APIs, seeded with the mock's topics and groups (Infrastructure/WireAdminTransport).
        Assert.Contains("amounts.v1", groupsBefore);
        RetirePlan retired = lifecycle.Retire(AmountsV1.Name, 1);
        Assert.True(retired.Executed);
        Assert.Equal(dryRun.Topics, retired.Topics);
        Assert.Equal(topicsBefore.Except(retired.Topics).Order(), transport.Transport.ListTopics().Order());
        Assert.Equal(groupsBefore.Except(["amounts.v1"]).Order(), transport.Transport.ListConsumerGroups().Order());
        Assert.Equal(tablesBefore.Except(["customer_amounts_v1"]).Order(), db.Tables().Order());
        Assert.Contains("customer-amounts.v2", transport.Transport.ListTopics());
        Assert.Contains("customer_amounts_v2", db.Tables());
        Assert.Contains("amounts.v2", transport.Transport.ListConsumerGroups());
        if (databaseKind == DatabaseKind.PostgreSql)
        {
            Assert.Equal(["customer_amounts_v2"], db.ViewReads(View)); // retire took v1's table out of the view before dropping it
        }

        Assert.Contains(KappaNames.DeploymentsTopic, transport.Transport.ListTopics());
        Assert.Contains(Sales.Topic, transport.Transport.ListTopics());
        ProcessorDeployment final = lifecycle.Registry.Read().Processors[AmountsV1.Name];
        Assert.Equal(VersionState.Retired, final.Find(1)!.State);
        Assert.Equal(VersionState.Serving, final.Find(2)!.State);
        Assert.Equal(
            ["deploy", "caught-up", "verify", "promote", "deploy", "caught-up", "verify", "promote", "rollback", "promote", "retire"],
            final.History.Select(t => t.Operation));

        // v2 keeps serving after v1 is gone.
        Sales.Produce(transport.Transport, 2_300, 100);
        Wait.Until(() => lifecycle.Status().Processors[0].Versions.Single(v => v.Version == 2).Lag, lag => lag == 0, "v2 processed the new sales", check: v2.ThrowIfFailed);
        v2.Stop();

        readers.Dispose();
        Assert.True(readers.Errors.IsEmpty, $"{readers.Errors.Count} reader errors, first: {string.Join("\n", readers.Errors.Take(5))}");
        Assert.True(readers.Reads > 20, $"only {readers.Reads} reads");
        Assert.True(readers.VersionsSeen.ContainsKey(1) && readers.VersionsSeen.ContainsKey(2));
    }

    [Theory]
    [InlineData(TransportKind.EmbeddedLog, DatabaseKind.Sqlite)]
    [InlineData(TransportKind.KafkaMock, DatabaseKind.PostgreSql)]
    public void OfTwoPromotesAtOnceOneWinsAndTheOtherIsRefused(TransportKind transportKind, DatabaseKind databaseKind)
    {
        using var transport = TestTransport.Create(transportKind);
        using var db = TestDatabase.Create(databaseKind);
        var lifecycle = new KappaLifecycle(transport.Transport, db.Database);
        Sales.Produce(transport.Transport, 0, 200);
        lifecycle.Deploy(AmountsV1.KappaDescriptor);
        lifecycle.Deploy(AmountsV2.KappaDescriptor);
        using (VersionRun<CustomerAmount> v1 = VersionRun<CustomerAmount>.Start(new AmountsV1(), transport.Transport, db.Database))
        using (VersionRun<CustomerAmount> v2 = VersionRun<CustomerAmount>.Start(new AmountsV2(), transport.Transport, db.Database))
        {
            Wait.CaughtUp(lifecycle, 1, v1.ThrowIfFailed);
            Wait.CaughtUp(lifecycle, 2, v2.ThrowIfFailed);
            Wait.TableCaughtUp(lifecycle, 1, v1.ThrowIfFailed);
            Wait.TableCaughtUp(lifecycle, 2, v2.ThrowIfFailed);
            v1.Stop();
            v2.Stop();
        }

        lifecycle.Verify(() => new AmountsV1());
        lifecycle.Verify(() => new AmountsV2());

        var outcomes = new (string Outcome, int Version)[2];
        using var start = new Barrier(2);
        var operators = new[] { transport.Connect(), transport.Connect() };
        var threads = Enumerable.Range(0, 2).Select(i => new Thread(() =>
        {
            var op = new KappaLifecycle(operators[i], db.Database, new LifecycleOptions { Instance = $"operator-{i}" });
            start.SignalAndWait();
            try
            {
                outcomes[i] = ("promoted", op.Promote(AmountsV1.Name, 2).Serving);
            }
            catch (LifecycleRefusedException refused)
            {
                outcomes[i] = ("refused: " + refused.Message, 2);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => Assert.True(t.Join(TimeSpan.FromSeconds(60))));

        Assert.Single(outcomes, o => o.Outcome == "promoted");
        // The loser either lost the registry's compare-and-set (it read before the winner's change landed) or, when it read
        // after it, found the version already serving: either way a clear refusal, and no view touched by it.
        string loser = outcomes.Single(o => o.Outcome.StartsWith("refused: ", StringComparison.Ordinal)).Outcome;
        Assert.True(loser.Contains("was accepted first", StringComparison.Ordinal) || loser.Contains("amounts.v2 is already serving", StringComparison.Ordinal), loser);
        int winner = outcomes.Single(o => o.Outcome == "promoted").Version;
        Assert.Equal(2, winner);
        Assert.Equal(winner, db.Database.GetServingVersion(AmountsV1.Sink));
        ProcessorDeployment deployment = lifecycle.Registry.Read().Processors[AmountsV1.Name];
        Assert.Equal(winner, deployment.Serving!.Version);
        Assert.Single(deployment.Versions, v => v.State == VersionState.Serving);
        foreach (IKappaTransport op in operators.Where(o => !ReferenceEquals(o, transport.Transport)))
        {
            op.Dispose();
        }
    }
}
