namespace Kappa.Integration.Tests.Resilience;

/// <summary>
/// The crash test on Kafka: the mock cluster runs in its own process (kappa-test-broker), the processor in a child process
/// that is SIGKILLed 4 times at seeded random points. With <c>KAPPA_KAFKA_BOOTSTRAP</c> set the same test runs against that
/// cluster and requires exact exactly-once outputs; on the mock (which shows aborted transactions to read_committed readers)
/// it requires the committed offsets, the restored state and a correct value on every visible output.
/// </summary>
[Collection(ResilienceCollection.Name)]
public sealed class KafkaCrashTests
{
    private const int Partitions = 4;
    private const int Batch = 100;
    private const int Kills = 4;

    [Fact]
    public void Killed_and_restarted_processor_gives_exactly_once_results_on_kafka()
    {
        using var cluster = KafkaTestCluster.Start();
        using var transport = cluster.CreateTransport();
        var workload = new CrashWorkload(records: 12_000, keys: 48, partitions: Partitions, seed: 4301);
        var topics = cluster.CreateTopics(transport, "kafka-crash", Partitions);
        workload.Produce(transport, topics.Input);

        var arguments = cluster.HostArguments().Concat(new[] { "--delivery", "exactly-once", "--batch", Batch.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            .Concat(topics.HostArguments("crash-host")).ToList();
        var runs = CrashScenario.RunWithKills("kafka exactly-once host", arguments, workload, Kills, seed: 4302);
        try
        {
            int restores = CrashScenario.CountRestores(runs);
            Assert.True(restores > 0, "No restarted run restored any state from the changelog; the kills did not exercise restore.\n" + runs[^1].Describe());
            // Mock: each kill leaves at most the open transaction's outputs plus one committed transaction whose offsets
            // the emulated (non-atomic) offset commit had not stored yet.
            int recoveries = runs.Sum(r => r.Lines.Count(l => l.StartsWith("recover ", StringComparison.Ordinal)));
            KafkaVerification.Verify(cluster, transport, topics, workload, maxVisibleDuplicates: (Kills + recoveries) * 2 * Batch, "Kafka, 4 SIGKILLs", runs);
        }
        finally
        {
            runs.ForEach(r => r.Dispose());
        }
    }
}
