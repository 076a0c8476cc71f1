using Kappa.Lifecycle.Tests.Infrastructure;
using Kappa.Lifecycle.Tests.Model;
using Kappa.Naming;
using Kappa.Sinks;
using Kappa.Transport;

namespace Kappa.Lifecycle.Tests;

/// <summary>
/// The full retire on a real Kafka cluster when KAPPA_KAFKA_BOOTSTRAP names one (the test fails when it is set and the
/// cluster cannot be reached), else on the mock cluster with the wire-level test broker for the admin side: never
/// skipped. Every name is unique per run (the versions are registered from their artefacts, not from generated
/// processors, whose names are fixed), so runs on a shared cluster do not see each other; both versions are retired at
/// the end, so a run leaves only its input topic's deletion and its registry entries behind.
/// </summary>
public sealed class ClusterRetireTests
{
    [Fact]
    public void Retire_deletes_exactly_the_versions_group_topics_and_table_on_the_cluster()
    {
        using var transport = TestTransport.Create(TransportKind.KafkaClusterOrMock);
        using var db = TestDatabase.Create(DatabaseKind.Sqlite);
        IKappaTransport kafka = transport.Transport;
        string id = Guid.NewGuid().ToString("N")[..10];
        string input = $"retire-in-{id}";
        VersionArtifacts v1 = Artifacts(id, 1, input);
        VersionArtifacts v2 = Artifacts(id, 2, input);
        var lifecycle = new KappaLifecycle(kafka, db.Database, new LifecycleOptions { Instance = "retire-test", StopTimeout = TimeSpan.FromSeconds(5) });

        // What each version owns, as its host would have made it: topics, committed group offsets, a table.
        kafka.EnsureTopics([new TopicSpec(input, 2)]);
        foreach (VersionArtifacts v in new[] { v1, v2 })
        {
            kafka.EnsureTopics(
                v.OutputTopics.Select(t => new TopicSpec(t, 2))
                    .Concat(v.ChangelogTopics.Select(t => new TopicSpec(t, 2, Compacted: true)))
                    .Append(new TopicSpec(v.DeadLetterTopic, 1))
                    .Concat(v.Sinks.Select(s => new TopicSpec(KappaNames.SinkDeadLetter(s, v.Version), 1)))
                    .ToArray());
            using (IKappaConsumer consumer = kafka.CreateConsumer(new ConsumerSettings { GroupId = v.ConsumerGroup }))
            {
                consumer.Commit([new TopicPartitionOffset(input, 0, 0), new TopicPartitionOffset(input, 1, 0)]);
            }

            using (ISinkTable<CustomerAmount> table = db.Database.OpenTable<CustomerAmount>(v.SinkTargets[0]))
            {
                table.Open(v.OutputTopics[0]); // creates the table, as its sink writer does
            }

            lifecycle.Deploy(v);
        }

        string[] v1Topics = [.. v1.OutputTopics, .. v1.ChangelogTopics, v1.DeadLetterTopic, KappaNames.SinkDeadLetter(v1.Sinks[0], 1)];
        var topicsBefore = Mine(kafka.ListTopics(), id);
        var groupsBefore = Mine(kafka.ListConsumerGroups(), id);
        var tablesBefore = Mine(db.Tables(), id);
        Assert.Subset(topicsBefore.ToHashSet(), v1Topics.ToHashSet());
        Assert.Equal([v1.ConsumerGroup, v2.ConsumerGroup], groupsBefore);
        Assert.Equal([v1.SinkTargets[0].Table, v2.SinkTargets[0].Table], tablesBefore);

        RetirePlan dryRun = lifecycle.Retire(v1.Processor, 1, dryRun: true);
        Assert.Equal(v1Topics.Order(StringComparer.Ordinal), dryRun.Topics.Order(StringComparer.Ordinal));
        Assert.Equal(topicsBefore, Mine(kafka.ListTopics(), id));

        RetirePlan retired = lifecycle.Retire(v1.Processor, 1);

        Assert.Equal([v1.ConsumerGroup], retired.ConsumerGroups);
        Assert.Equal(topicsBefore.Except(v1Topics).ToArray(), WaitForTopics(kafka, id, topicsBefore.Except(v1Topics).ToArray()));
        Assert.Equal([v2.ConsumerGroup], Mine(kafka.ListConsumerGroups(), id));
        Assert.Equal([v2.SinkTargets[0].Table], Mine(db.Tables(), id));
        Assert.Contains(KappaNames.DeploymentsTopic, kafka.ListTopics());
        Assert.Equal(VersionState.Retired, lifecycle.Registry.Read().Processors[v1.Processor].Find(1)!.State);

        // Leave nothing of the run behind on a shared cluster.
        lifecycle.Retire(v2.Processor, 2);
        kafka.DeleteTopics([input]);
        Assert.Equal([], WaitForTopics(kafka, id, []));
        Assert.Empty(Mine(kafka.ListConsumerGroups(), id));
    }

    private static VersionArtifacts Artifacts(string id, int version, string input) => new()
    {
        Processor = $"retire-{id}",
        Version = version,
        InputTopics = [input],
        Sinks = [$"retire-out-{id}"],
        Stores = ["totals"],
    };

    private static string[] Mine(IEnumerable<string> names, string id) => names.Where(n => n.Contains(id, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray();

    /// <summary>A real cluster deletes topics asynchronously: metadata may list a deleted topic for a moment.</summary>
    private static string[] WaitForTopics(IKappaTransport kafka, string id, string[] expected)
    {
        string[] now = Mine(kafka.ListTopics(), id);
        long deadline = Environment.TickCount64 + 30_000;
        while (!now.SequenceEqual(expected) && Environment.TickCount64 < deadline)
        {
            Thread.Sleep(200);
            now = Mine(kafka.ListTopics(), id);
        }

        return now;
    }
}
