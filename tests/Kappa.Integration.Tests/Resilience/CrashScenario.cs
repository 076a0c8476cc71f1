using Kappa.Tests;
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
    public static List<ChildProcess> RunWithKills(string name, IReadOnlyList<string> hostArguments, CrashWorkload workload, int kills, int seed)
    {
        var random = new Random(seed);
        var runs = new List<ChildProcess>();
        try
        {
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
        catch
        {
            // A failed wait must not leave hosts running (they would hold the log directory or the group).
            runs.ForEach(r => r.Dispose());
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="verify"/>; when it fails, writes every host's full stdout and stderr to a file and adds to the
    /// failure its path and each host's events (everything but the "committed" progress lines, up to 300 lines), so a
    /// failure on a CI machine can be read without rerunning it.
    /// </summary>
    public static void VerifyWithTranscripts(IReadOnlyList<ChildProcess> runs, string test, Action verify)
    {
        try
        {
            verify();
        }
        catch (Xunit.Sdk.XunitException failure)
        {
            string directory = Path.Combine(Path.GetTempPath(), "kappa-resilience-transcripts");
            Directory.CreateDirectory(directory);
            string path = Path.Combine(directory, $"{test}-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}.log");
            File.WriteAllText(path, string.Join("\n", runs.Select(r => r.Transcript())));
            var events = runs.SelectMany(r => r.Lines.Where(l => !l.StartsWith("committed ", StringComparison.Ordinal)).Select(l => $"[{r.Name}] {l}")).Take(300);
            throw new Xunit.Sdk.XunitException($"{failure.Message}\nHost events (committed lines left out):\n{string.Join('\n', events)}\nFull host transcripts: {path}");
        }
    }

    /// <summary>The records a "committed records=N ..." line reports, or -1.</summary>
    public static long CommittedRecords(string line)
    {
        var m = CommittedPattern().Match(line);
        return m.Success ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : -1;
    }

    /// <summary>
    /// Counts the "restored partition=P keys=K" lines with K &gt; 0: restores that found state in the changelog. (Their
    /// values are checked through the outputs, which carry totals computed from the restored state.)
    /// </summary>
    public static int CountRestores(IEnumerable<ChildProcess> runs) =>
        runs.SelectMany(r => r.Lines).Select(l => RestoredPattern().Match(l)).Count(m => m.Success && m.Groups[2].Value != "0");

    [GeneratedRegex(@"^committed records=(\d+)")]
    private static partial Regex CommittedPattern();

    [GeneratedRegex(@"^restored partition=(\d+) keys=(\d+)")]
    private static partial Regex RestoredPattern();
}
