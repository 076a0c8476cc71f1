using System.Globalization;

namespace Kappa.Integration.Tests.Resilience;

/// <summary>
/// Broker faults on Kafka (always the mock cluster, in its own process: a real cluster cannot be told to fail): while the
/// processor runs, brokers go down and come back and requests fail with injected error codes. Processing resumes and the
/// results are exactly-once as far as the mock allows.
/// </summary>
[Collection(ResilienceCollection.Name)]
public sealed class KafkaBrokerFaultTests
{
    private const int Partitions = 4;
    private const int Batch = 50;
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(90);

    [Fact]
    public void Processing_resumes_after_broker_outages_and_request_errors()
    {
        using var cluster = KafkaTestCluster.StartMock(brokers: 3);
        var mock = cluster.Mock!;
        using var transport = cluster.CreateTransport();
        var workload = new CrashWorkload(records: 10_000, keys: 40, partitions: Partitions, seed: 4501);
        var topics = cluster.CreateTopics(transport, "kafka-faults", Partitions);
        workload.Produce(transport, topics.Input);

        var args = cluster.HostArguments().Concat(new[] { "--delivery", "exactly-once", "--batch", Batch.ToString(CultureInfo.InvariantCulture), "--until-caught-up" })
            .Concat(topics.HostArguments("fault-host")).ToList();
        using var host = CrashHostProcess.Start("fault-injected host", args);
        host.WaitForLine(l => CrashScenario.CommittedRecords(l) >= 500, Step, "'committed records>=500'");

        // Retriable request errors: produce (NOT_LEADER_OR_FOLLOWER), fetch, end-transaction (COORDINATOR_NOT_AVAILABLE).
        mock.PushRequestErrors(0, 6, 6, 6);
        mock.PushRequestErrors(1, 6, 6);
        mock.PushRequestErrors(26, 15, 15);
        host.WaitForLine(l => CrashScenario.CommittedRecords(l) >= 2000, Step, "'committed records>=2000' after request errors");

        // A failing offset commit (REBALANCE_IN_PROGRESS) and a failing AddPartitionsToTxn (REQUEST_TIMED_OUT).
        mock.PushRequestErrors(8, 27);
        mock.PushRequestErrors(24, 7);
        host.WaitForLine(l => CrashScenario.CommittedRecords(l) >= 3500, Step, "'committed records>=3500' after commit errors");

        // Brokers down and back, one after the other.
        foreach (int broker in new[] { 1, 2 })
        {
            mock.BrokerDown(broker);
            Thread.Sleep(1500);
            mock.BrokerUp(broker);
        }

        int code = host.WaitForExit(Step);
        Assert.True(code == 0, $"The processor did not recover from the faults and catch up (exit code {code}).\n{host.Describe()}");
        Assert.Contains(host.Lines, l => l.StartsWith("caught-up", StringComparison.Ordinal));

        int recoveries = host.Lines.Count(l => l.StartsWith("recover ", StringComparison.Ordinal));
        KafkaVerification.Verify(cluster, transport, topics, workload, maxVisibleDuplicates: (recoveries + 1) * 2 * Batch, "Kafka broker faults", new[] { host });
    }
}
