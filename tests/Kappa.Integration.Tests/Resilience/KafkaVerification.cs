using Kappa.Tests;
using Kappa.Kafka;
using Kappa.Transport;

namespace Kappa.Integration.Tests.Resilience;

/// <summary>The checks every Kafka resilience test ends with: committed group offsets, committed outputs and the changelog state.</summary>
internal static class KafkaVerification
{
    /// <param name="maxVisibleDuplicates">On the mock only: how many aborted-transaction copies it may show to read_committed readers.</param>
    public static void Verify(KafkaTestCluster cluster, KafkaTransport transport, CrashTopics topics, CrashWorkload workload, int maxVisibleDuplicates, string context, IReadOnlyList<ChildProcess> hosts) =>
        CrashScenario.VerifyWithTranscripts(hosts, topics.Group, () => VerifyResults(cluster, transport, topics, workload, maxVisibleDuplicates, context));

    private static void VerifyResults(KafkaTestCluster cluster, KafkaTransport transport, CrashTopics topics, CrashWorkload workload, int maxVisibleDuplicates, string context)
    {
        using (var consumer = transport.CreateConsumer(new ConsumerSettings { GroupId = topics.Group, ClientId = "crash-test-offsets" }))
        {
            for (int p = 0; p < workload.Partitions; p++)
            {
                long? committed = consumer.Committed(new TopicPartition(topics.Input, p));
                Assert.True(committed == workload.RecordsPerPartition[p], $"{context}: committed offset of {topics.Input}-{p} is {committed?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}; the input ends at {workload.RecordsPerPartition[p]}.");
            }
        }

        var outputs = TopicDump.ReadAll(transport, topics.Output, workload.Partitions, TimeSpan.FromSeconds(60));
        var changelog = TopicDump.ReadAll(transport, topics.Changelog, workload.Partitions, TimeSpan.FromSeconds(60));
        ResultVerifier.Verify(workload, outputs, changelog, exact: !cluster.IsMock, maxVisibleDuplicates, context + (cluster.IsMock ? " (mock cluster)" : " (" + cluster.Bootstrap + ")"));
    }
}
