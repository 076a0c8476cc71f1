using System.Globalization;
using System.Text.RegularExpressions;

namespace Kappa.Integration.Tests.Resilience;

/// <summary>Runs the crash host, SIGKILLs it at seeded random points, restarts it, and finally lets it catch up.</summary>
internal static partial class CrashScenario
{
    public static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(90);

    /// <summary>
    /// Starts the host <paramref name="kills"/> times and kills each run (SIGKILL) once it has committed a random number of
    /// records plus a random 0-40 ms (so kills land inside open batches too); then runs it with --until-caught-up and
    /// requires a clean exit. Returns every run (the caller disposes them).
    /// </summary>
    public static List<CrashHostProcess> RunWithKills(string name, IReadOnlyList<string> hostArguments, CrashWorkload workload, int kills, int seed)
    {
        var random = new Random(seed);
        var runs = new List<CrashHostProcess>();
        int maxThreshold = Math.Max(100, workload.Inputs.Count / (kills * 3));
        for (int i = 0; i < kills; i++)
        {
            var run = CrashHostProcess.Start($"{name} run {i + 1} (killed)", hostArguments);
            runs.Add(run);
            run.WaitForLine(l => l.StartsWith("ready", StringComparison.Ordinal), StepTimeout, "'ready'");
            int threshold = random.Next(maxThreshold / 4, maxThreshold);
            run.WaitForLine(l => CommittedRecords(l) >= threshold, StepTimeout, $"'committed records>={threshold}'");
            Thread.Sleep(random.Next(0, 40));
            run.Kill();
        }

        var final = CrashHostProcess.Start($"{name} final run", hostArguments.Append("--until-caught-up").ToList());
        runs.Add(final);
        int code = final.WaitForExit(StepTimeout);
        Assert.True(code == 0, $"The final run did not catch up cleanly (exit code {code}).\n{final.Describe()}");
        Assert.Contains(final.Lines, l => l.StartsWith("caught-up", StringComparison.Ordinal));
        return runs;
    }

    /// <summary>The records a "committed records=N ..." line reports, or -1.</summary>
    public static long CommittedRecords(string line)
    {
        var m = CommittedPattern().Match(line);
        return m.Success ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : -1;
    }

    /// <summary>
    /// Checks every "restored partition=P resume=C keys=K" line: the restored state must hold exactly the keys the
    /// partition's inputs below the resume offset have (values are checked through the outputs). Returns how many restores
    /// started from a non-zero resume offset (restores that had something to restore).
    /// </summary>
    public static int VerifyRestores(IEnumerable<CrashHostProcess> runs, CrashWorkload workload)
    {
        int nonTrivial = 0;
        foreach (var run in runs)
        {
            foreach (string line in run.Lines)
            {
                var m = RestoredPattern().Match(line);
                if (!m.Success)
                {
                    continue;
                }

                int partition = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
                long resume = long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
                int keys = int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
                int expected = workload.KeysBelow(partition, resume);
                Assert.True(keys == expected, $"'{line}': restoring partition {partition} for resume offset {resume} must find {expected} key(s) (the reference run's keys below that offset), found {keys}.\n{run.Describe()}");
                if (resume > 0)
                {
                    nonTrivial++;
                }
            }
        }

        return nonTrivial;
    }

    [GeneratedRegex(@"^committed records=(\d+)")]
    private static partial Regex CommittedPattern();

    [GeneratedRegex(@"^restored partition=(\d+) resume=(\d+) keys=(\d+)")]
    private static partial Regex RestoredPattern();
}
