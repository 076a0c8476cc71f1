using Kappa.Tests;
using Kappa.Log;
using Kappa.Transport;

namespace Kappa.Integration.Tests.Resilience;

/// <summary>
/// Crash tests on the embedded log: the running-totals processor (tests/Kappa.CrashHost) runs in a child process over
/// 20,000 records in 4 partitions and is SIGKILLed at 4 seeded random points, restarting each time; the committed
/// outputs and state must equal the uninterrupted reference run.
/// </summary>
[Collection(ResilienceCollection.Name)]
public sealed class EmbeddedLogCrashTests : IDisposable
{
    private const int Partitions = 4;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "kappa-crash-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void Killed_and_restarted_processor_gives_exactly_once_outputs_and_state()
    {
        var workload = new CrashWorkload(records: 20_000, keys: 64, partitions: Partitions, seed: 4101);
        var topics = Prepare(workload, "log-eos");
        var runs = CrashScenario.RunWithKills("embedded-log exactly-once host", HostArguments(topics, "exactly-once"), workload, kills: 4, seed: 4102);
        try
        {
            CrashScenario.VerifyWithTranscripts(runs, topics.Group, () => Verify(workload, topics, runs, exact: true));
        }
        finally
        {
            runs.ForEach(r => r.Dispose());
        }
    }

    private CrashTopics Prepare(CrashWorkload workload, string test)
    {
        var topics = CrashTopics.Unique(test);
        using var transport = OpenLog();
        transport.EnsureTopics(new[] { new TopicSpec(topics.Input, Partitions) }); // the processor creates the rest
        workload.Produce(transport, topics.Input);
        return topics;
    }

    private List<string> HostArguments(CrashTopics topics, string delivery) =>
        // Paced (1 ms every 10 records, about 10,000 records/s) so every kill lands mid-input, often inside an open transaction.
        new[] { "--log", _directory, "--delivery", delivery, "--batch", "100", "--pace-ms", "1" }.Concat(topics.HostArguments("crash-host-0")).ToList();

    private void Verify(CrashWorkload workload, CrashTopics topics, List<ChildProcess> runs, bool exact, int maxVisibleDuplicates = 0)
    {
        int restores = CrashScenario.CountRestores(runs);
        Assert.True(restores > 0, "No restarted run restored any state from the changelog; the kills did not exercise restore.\n" + runs[^1].Describe());

        using var transport = OpenLog();
        using (var consumer = transport.CreateConsumer(new ConsumerSettings { GroupId = topics.Group }))
        {
            for (int p = 0; p < Partitions; p++)
            {
                long? committed = consumer.Committed(new TopicPartition(topics.Input, p));
                Assert.True(committed == workload.RecordsPerPartition[p], $"Committed offset of {topics.Input}-{p} is {committed?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}; the input ends at {workload.RecordsPerPartition[p]}.");
            }
        }

        var outputs = TopicDump.ReadAll(transport, topics.Output, Partitions, TimeSpan.FromSeconds(60));
        var changelog = TopicDump.ReadAll(transport, topics.Changelog, Partitions, TimeSpan.FromSeconds(60));
        ResultVerifier.Verify(workload, outputs, changelog, exact, maxVisibleDuplicates, "embedded log, 4 SIGKILLs");
    }

    private EmbeddedLogTransport OpenLog() => new(new EmbeddedLogOptions { Directory = _directory, MaintenanceInterval = null });

    public void Dispose()
    {
        if (Directory.Exists(_directory) && Environment.GetEnvironmentVariable("KAPPA_CRASH_KEEP_LOG") != "1")
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
