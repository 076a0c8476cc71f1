using Kappa.Kafka;
using Kappa.Lifecycle.Tests.Infrastructure;
using Kappa.Lifecycle.Tests.Model;
using Kappa.Tests.KafkaWire;

namespace Kappa.Lifecycle.Tests;

/// <summary>
/// Retire on Kafka, at the wire: records and offsets on librdkafka's mock cluster, the deletions through KafkaTransport's
/// real admin client to the wire-level test broker (<see cref="WireAdminTransport"/>), tables in SQLite. Retire deletes
/// exactly v1's group, topics and table and nothing of v2; one it cannot delete is named, the rest is still deleted,
/// and retiring again finishes the job.
/// </summary>
public sealed class KafkaRetireTests
{
    [Fact]
    public void Retire_deletes_exactly_v1s_group_topics_and_table_and_nothing_of_v2()
    {
        using var world = World.Start();
        var (topics, groups, tables) = world.Snapshot();

        RetirePlan plan = world.Lifecycle.Retire(AmountsV1.Name, 1);

        Assert.Equal(["amounts.v1"], plan.ConsumerGroups);
        Assert.Contains("customer-amounts.v1", plan.Topics);
        Assert.All(plan.Topics, t => Assert.Contains(".v1", t, StringComparison.Ordinal));
        Assert.Equal(topics.Except(plan.Topics).Order(StringComparer.Ordinal), world.Transport.Transport.ListTopics().Order(StringComparer.Ordinal));
        Assert.Equal(groups.Except(["amounts.v1"]).Order(StringComparer.Ordinal), world.Transport.Transport.ListConsumerGroups().Order(StringComparer.Ordinal));
        Assert.Equal(tables.Except(["customer_amounts_v1"]), world.TablesButBookkeeping());
        Assert.Contains("amounts.v2", world.Transport.Transport.ListConsumerGroups());
        Assert.Contains("customer-amounts.v2", world.Transport.Transport.ListTopics());
        Assert.Contains("customer_amounts_v2", world.Db.Tables());

        // At the wire: one DeleteGroups (to the coordinator) and one DeleteTopics per topic (to the controller).
        WireTestBroker broker = world.Transport.AdminBroker!;
        Assert.Single(broker.Requests, r => r.ApiKey == WireTestBroker.DeleteGroups);
        Assert.Equal(plan.Topics.Count, broker.Requests.Count(r => r.ApiKey == WireTestBroker.DeleteTopics));
        Assert.Equal(VersionState.Retired, world.Lifecycle.Registry.Read().Processors[AmountsV1.Name].Find(1)!.State);
    }

    [Fact]
    public void A_group_the_broker_refuses_to_delete_is_named_the_rest_is_deleted_and_retire_again_finishes()
    {
        using var world = World.Start();
        WireTestBroker broker = world.Transport.AdminBroker!;
        broker.FailGroupDeletion("amounts.v1", WireTestBroker.GroupAuthorizationFailed);
        var (topics, groups, tables) = world.Snapshot();

        var incomplete = Assert.Throws<RetireIncompleteException>(() => world.Lifecycle.Retire(AmountsV1.Name, 1));

        RetireFailure failure = Assert.Single(incomplete.NotDeleted);
        Assert.Equal("consumer group 'amounts.v1'", failure.Artefact);
        Assert.Contains("GroupAuthorizationFailed", incomplete.Message, StringComparison.Ordinal);
        Assert.Contains("run retire again", incomplete.Message, StringComparison.Ordinal);
        Assert.Contains("topic 'customer-amounts.v1'", incomplete.Deleted);
        Assert.Contains("table 'customer_amounts_v1'", incomplete.Deleted);
        Assert.Equal(groups.Order(StringComparer.Ordinal), world.Transport.Transport.ListConsumerGroups().Order(StringComparer.Ordinal));
        Assert.DoesNotContain("customer-amounts.v1", world.Transport.Transport.ListTopics());
        Assert.DoesNotContain("customer_amounts_v1", world.Db.Tables());
        Assert.Equal(VersionState.Retired, world.Lifecycle.Registry.Read().Processors[AmountsV1.Name].Find(1)!.State);

        // The cause fixed, retire again deletes what is left.
        broker.FailGroupDeletion("amounts.v1", 0);
        RetirePlan second = world.Lifecycle.Retire(AmountsV1.Name, 1);
        Assert.Equal(["amounts.v1"], second.ConsumerGroups);
        Assert.Empty(second.Topics);
        Assert.Equal(groups.Except(["amounts.v1"]).Order(StringComparer.Ordinal), world.Transport.Transport.ListConsumerGroups().Order(StringComparer.Ordinal));
        Assert.Equal(topics.Where(t => !t.Contains(".v1", StringComparison.Ordinal)).Order(StringComparer.Ordinal), world.Transport.Transport.ListTopics().Order(StringComparer.Ordinal));
        Assert.Equal(tables.Except(["customer_amounts_v1"]), world.TablesButBookkeeping());
    }

    [Fact]
    public void A_broker_without_DeleteGroups_leaves_the_group_named_and_everything_else_deleted()
    {
        using var world = World.Start();
        world.Transport.AdminBroker!.RemoveApi(1, WireTestBroker.DeleteGroups);
        var (_, groups, _) = world.Snapshot();

        // The admin side first connected in Snapshot, after RemoveApi: the broker's ApiVersions answer lacked DeleteGroups.
        var incomplete = Assert.Throws<RetireIncompleteException>(() => world.Lifecycle.Retire(AmountsV1.Name, 1));

        RetireFailure failure = Assert.Single(incomplete.NotDeleted);
        Assert.Equal("consumer group 'amounts.v1'", failure.Artefact);
        var unsupported = Assert.IsType<KafkaUnsupportedApiException>(failure.Error);
        Assert.Equal(KafkaApi.DeleteGroups, unsupported.Api);
        Assert.Contains("does not support DeleteGroups (ApiKey 42)", incomplete.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(world.Transport.AdminBroker.Requests, r => r.ApiKey == WireTestBroker.DeleteGroups);
        Assert.Equal(groups.Order(StringComparer.Ordinal), world.Transport.Transport.ListConsumerGroups().Order(StringComparer.Ordinal));
        Assert.DoesNotContain("customer-amounts.v1", world.Transport.Transport.ListTopics());
        Assert.DoesNotContain("customer_amounts_v1", world.Db.Tables());
    }

    /// <summary>v1 and v2 of the amounts processor ran on the mock over the same sales and stopped; neither serves.</summary>
    private sealed class World : IDisposable
    {
        private World(TestTransport transport, TestDatabase db)
        {
            Transport = transport;
            Db = db;
            Lifecycle = new KappaLifecycle(transport.Transport, db.Database, new LifecycleOptions { Instance = "test-operator", StopTimeout = TimeSpan.FromSeconds(5) });
        }

        public TestTransport Transport { get; }

        public TestDatabase Db { get; }

        public KappaLifecycle Lifecycle { get; }

        public static World Start()
        {
            var world = new World(TestTransport.Create(TransportKind.KafkaMock), TestDatabase.Create(DatabaseKind.Sqlite));
            Sales.Produce(world.Transport.Transport, 0, 200);
            world.Lifecycle.Deploy(AmountsV1.KappaDescriptor);
            world.Lifecycle.Deploy(AmountsV2.KappaDescriptor);
            using (VersionRun<CustomerAmount> v1 = VersionRun<CustomerAmount>.Start(new AmountsV1(), world.Transport.Transport, world.Db.Database))
            using (VersionRun<CustomerAmount> v2 = VersionRun<CustomerAmount>.Start(new AmountsV2(), world.Transport.Transport, world.Db.Database))
            {
                foreach (VersionRun<CustomerAmount> run in new[] { v1, v2 })
                {
                    Wait.Until(() => run.Writer.Lag, lag => lag == 0 && world.Committed(run.Id), $"{run.Id} processed the sales", check: run.ThrowIfFailed);
                }

                v1.Stop();
                v2.Stop();
            }

            return world;
        }

        public (IReadOnlyList<string> Topics, IReadOnlyList<string> Groups, IReadOnlyList<string> Tables) Snapshot()
        {
            IReadOnlyList<string> topics = Transport.Transport.ListTopics().ToArray();
            IReadOnlyList<string> groups = Transport.Transport.ListConsumerGroups().ToArray();
            Assert.Contains("amounts.v1", groups);
            Assert.Contains("amounts.v2", groups);
            Assert.Contains("customer-amounts.v1", topics);
            Assert.Contains("customer_amounts_v1", Db.Tables());
            return (topics, groups, Db.Tables());
        }

        /// <summary>The tables, without the serving-view bookkeeping table retire's check of the views creates when no promote did.</summary>
        public IReadOnlyList<string> TablesButBookkeeping() => Db.Tables().Where(t => t != "_kappa_serving").ToArray();

        public void Dispose()
        {
            Transport.Dispose();
            Db.Dispose();
        }

        private bool Committed(string group) =>
            LifecycleStatusReader.Measure(Transport.Transport, Lifecycle.Registry.Read().Processors[AmountsV1.Name].Find(group.EndsWith(".v1", StringComparison.Ordinal) ? 1 : 2)!.Artifacts)
                .Sum(p => p.Lag) == 0;
    }
}
