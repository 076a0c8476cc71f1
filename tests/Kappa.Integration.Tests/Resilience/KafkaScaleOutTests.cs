using Kappa.Tests;
using System.Globalization;

namespace Kappa.Integration.Tests.Resilience;

/// <summary>
/// Scale-out on Kafka: three processor instances (child processes, one transactional id each) share the 6 input partitions
/// of one group. One is SIGKILLed, one stops cleanly; their partitions move to the survivor, which restores their state
/// from the changelog and finishes the input. Results are exactly-once (on the mock: as far as it allows).
/// </summary>
[Collection(ResilienceCollection.Name)]
public sealed partial class KafkaScaleOutTests
{
    private const int Partitions = 6;
    private const int Batch = 50;
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(90);

    [Fact]
    public void Partitions_of_a_killed_and_a_stopped_instance_move_with_their_state()
    {
        using var cluster = KafkaTestCluster.Start();
        using var transport = cluster.CreateTransport();
        var workload = new CrashWorkload(records: 18_000, keys: 60, partitions: Partitions, seed: 4401);
        var topics = cluster.CreateTopics(transport, "kafka-scale", Partitions);

        var hosts = new List<ChildProcess>();
        try
        {
            for (int i = 0; i < 3; i++)
            {
                var args = cluster.HostArguments().Concat(new[] { "--delivery", "exactly-once", "--batch", Batch.ToString(CultureInfo.InvariantCulture) })
                    .Concat(topics.HostArguments($"scale-host-{i}")).ToList();
                hosts.Add(CrashHostProcess.Start($"instance {i}", args));
                hosts[i].WaitForLine(l => l.StartsWith("ready", StringComparison.Ordinal), Step, "'ready'");
            }

            WaitForBalancedGroup(hosts);
            workload.Produce(transport, topics.Input);

            // Instance 0 dies in the middle of its work; instance 1 stops cleanly a little later.
            hosts[0].WaitForLine(l => CrashScenario.CommittedRecords(l) >= 600, Step, "'committed records>=600'");
            hosts[0].Kill();
            hosts[1].WaitForLine(l => CrashScenario.CommittedRecords(l) >= 1200, Step, "'committed records>=1200'");
            hosts[1].RequestStop();
            Assert.True(hosts[1].WaitForExit(Step) == 0, "The stopped instance did not exit cleanly.\n" + hosts[1].Describe());
            Assert.Contains(hosts[1].Lines, l => l.StartsWith("stopped", StringComparison.Ordinal));

            // The survivor ends up owning every partition and finishes the input.
            hosts[2].WaitForLine(l => l == "assigned 0,1,2,3,4,5", Step, "'assigned 0,1,2,3,4,5' (taking over the killed and the stopped instance's partitions)");
            WaitForCommittedEnd(transport, topics, workload, hosts[2]);
            hosts[2].RequestStop();
            Assert.True(hosts[2].WaitForExit(Step) == 0, "The surviving instance did not exit cleanly.\n" + hosts[2].Describe());

            // The survivor restored state (keys > 0) for partitions it did not own at first: the moved ones.
            var initial = hosts[2].Lines.First(l => l.StartsWith("assigned ", StringComparison.Ordinal))["assigned ".Length..].Split(',').ToHashSet();
            int movedRestores = hosts[2].Lines.Select(l => RestoredLine().Match(l)).Count(m => m.Success && !initial.Contains(m.Groups[1].Value) && m.Groups[2].Value != "0");
            Assert.True(movedRestores > 0, $"The survivor (first assigned {string.Join(',', initial)}) never restored state of a partition moved to it.\n" + hosts[2].Describe());
            // Mock: the kill leaves at most two batches visible twice; so may every aborted and retried transaction.
            int recoveries = hosts.Sum(h => h.Lines.Count(l => l.StartsWith("recover ", StringComparison.Ordinal)));
            KafkaVerification.Verify(cluster, transport, topics, workload, maxVisibleDuplicates: (recoveries + 2) * 2 * Batch, "Kafka scale-out (1 killed, 1 stopped)", hosts);
        }
        finally
        {
            hosts.ForEach(h => h.Dispose());
        }
    }

    private static void WaitForBalancedGroup(List<ChildProcess> hosts)
    {
        var deadline = DateTime.UtcNow + Step;
        while (true)
        {
            var owned = hosts.Select(CurrentAssignment).ToList();
            if (owned.All(o => o.Count > 0) && owned.Sum(o => o.Count) == Partitions && owned.SelectMany(o => o).Distinct().Count() == Partitions)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("The three instances did not share the 6 partitions within " + Step + ".\n" + string.Join('\n', hosts.Select(h => h.Describe())));
            }

            Thread.Sleep(100);
        }
    }

    private static HashSet<int> CurrentAssignment(ChildProcess host)
    {
        var owned = new HashSet<int>();
        foreach (string line in host.Lines)
        {
            bool assigned = line.StartsWith("assigned ", StringComparison.Ordinal);
            if (!assigned && !line.StartsWith("revoked ", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (string p in line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                int partition = int.Parse(p, CultureInfo.InvariantCulture);
                if (assigned)
                {
                    owned.Add(partition);
                }
                else
                {
                    owned.Remove(partition);
                }
            }
        }

        return owned;
    }

    private static void WaitForCommittedEnd(Kappa.Kafka.KafkaTransport transport, CrashTopics topics, CrashWorkload workload, ChildProcess survivor)
    {
        using var consumer = transport.CreateConsumer(new Kappa.Transport.ConsumerSettings { GroupId = topics.Group, ClientId = "crash-test-progress" });
        var deadline = DateTime.UtcNow + Step;
        while (true)
        {
            bool done = true;
            for (int p = 0; p < Partitions && done; p++)
            {
                done = consumer.Committed(new Kappa.Transport.TopicPartition(topics.Input, p)) == workload.RecordsPerPartition[p];
            }

            if (done)
            {
                return;
            }

            if (DateTime.UtcNow > deadline || survivor.HasExited)
            {
                Assert.Fail("The group's committed offsets did not reach the end of the input within " + Step + ".\n" + survivor.Describe());
            }

            Thread.Sleep(250);
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^restored partition=(\d+) keys=(\d+)")]
    private static partial System.Text.RegularExpressions.Regex RestoredLine();
}
