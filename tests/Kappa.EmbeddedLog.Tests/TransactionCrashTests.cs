using System.Diagnostics;
using System.Globalization;
using Kappa.Log;
using Kappa.Log.Format;
using Kappa.Transport;
using Xunit.Abstractions;

namespace Kappa.Log.Tests;

/// <summary>
/// Crash atomicity: a child process (this assembly re-launched, see <see cref="TransactionCrashChild"/>) runs transactions
/// over three topics (seven partitions, one compacted) plus the offsets topic in a loop and is killed with SIGKILL at random
/// points. After every kill the log is reopened: each transaction is wholly present (all its records and its offset) or
/// wholly absent, the present ones are exactly 0..n-1 where n is the committed offset, every transaction acknowledged
/// before the kill is present, and no record of an aborted transaction exists.
/// </summary>
public class TransactionCrashTests(ITestOutputHelper output)
{
    [Fact]
    public void SigKill_AtRandomPoints_LeavesEveryTransactionWhollyVisibleOrWhollyAbsent()
    {
        using var dir = new TempDir();
        var random = new Random(20261121);
        long acknowledged = -1;
        int rounds = 8;
        for (int round = 0; round < rounds; round++)
        {
            FsyncPolicy policy = round % 2 == 0 ? FsyncPolicy.Never : FsyncPolicy.EveryBatch;
            long ackedThisRound = RunChildAndKill(dir.Path, policy, random.Next(30, 400), out long startedAt);
            Assert.True(startedAt == acknowledged + 1 || (acknowledged == -1 && startedAt == 0), $"round {round}: the child resumed at {startedAt}, expected {acknowledged + 1}");
            acknowledged = Math.Max(acknowledged, ackedThisRound);
            long n = Verify(dir.Path, out int rolledBack);
            output.WriteLine($"round {round} ({policy}): started at {startedAt}, last acknowledged {ackedThisRound}, {n} transactions in the log, {rolledBack} prepared transaction(s) rolled back on open");
            Assert.True(n >= acknowledged + 1, $"round {round}: transaction {acknowledged} was acknowledged before the kill but only {n} are in the log");
            acknowledged = n - 1;
        }

        Assert.True(acknowledged >= rounds, $"the child made too little progress ({acknowledged + 1} transactions) for the test to mean anything");
    }

    /// <summary>Starts the child, waits until it is running transactions, lets it run <paramref name="runMs"/> more, kills it; returns the last acknowledged transaction.</summary>
    private static long RunChildAndKill(string directory, FsyncPolicy policy, int runMs, out long startedAt)
    {
        string assembly = typeof(TransactionCrashChild).Assembly.Location;
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var psi = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("exec");
        psi.ArgumentList.Add(assembly);
        psi.Environment[TransactionCrashChild.EnvironmentVariable] = directory;
        psi.Environment[TransactionCrashChild.FsyncVariable] = policy.ToString();
        using Process child = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {dotnet} exec {assembly}.");
        long last = -1;
        long started = -1;
        var firstCommit = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stderr = new System.Text.StringBuilder();
        child.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stderr)
                {
                    stderr.AppendLine(e.Data);
                }
            }
        };
        child.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                firstCommit.TrySetResult();
                return;
            }

            string[] parts = e.Data.Split(' ');
            long value = long.Parse(parts[1], CultureInfo.InvariantCulture);
            if (parts[0] == "ready")
            {
                Interlocked.Exchange(ref started, value);
            }
            else if (parts[0] == "committed")
            {
                Interlocked.Exchange(ref last, value);
                firstCommit.TrySetResult();
            }
        };
        child.BeginOutputReadLine();
        child.BeginErrorReadLine();
        try
        {
            if (!firstCommit.Task.Wait(TimeSpan.FromSeconds(60)))
            {
                throw new InvalidOperationException("The crash child committed nothing within 60 s.");
            }

            Assert.False(child.HasExited, $"the crash child exited by itself (code {(child.HasExited ? child.ExitCode : 0)}): {stderr}");
            Thread.Sleep(runMs);
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill(entireProcessTree: true); // SIGKILL on Unix
            }

            child.WaitForExit();
        }

        // Acknowledgements read before the kill are the ones that count; later lines cannot exist (the process is gone).
        startedAt = Interlocked.Read(ref started);
        return Interlocked.Read(ref last);
    }

    /// <summary>Reopens the log and checks atomicity; returns n, the number of transactions present (= the committed offset).</summary>
    private static long Verify(string directory, out int rolledBack)
    {
        using var transport = new EmbeddedLogTransport(new EmbeddedLogOptions { Directory = directory, FsyncPolicy = FsyncPolicy.Never, MaintenanceInterval = null });
        rolledBack = transport.Log.Transactions.RolledBackOnOpen;
        using IKappaConsumer input = transport.CreateConsumer(new ConsumerSettings { GroupId = TransactionCrashChild.Group });
        long n = input.Committed(new TopicPartition(TransactionCrashChild.InputTopic, 0)) ?? 0;
        var counts = new Dictionary<long, int>();
        foreach (string topic in TransactionCrashChild.OutputTopics)
        {
            for (int p = 0; p < transport.GetPartitionCount(topic); p++)
            {
                long previous = -1;
                using PartitionReader reader = transport.Log.GetPartition(topic, p).OpenReader(0);
                while (reader.TryRead(out BatchRecord r))
                {
                    string value = System.Text.Encoding.UTF8.GetString(r.Value);
                    string[] parts = value.Split(':');
                    Assert.True(parts[1] != "A", $"a record of an aborted transaction ({value}) is in {topic}-{p} at offset {r.Offset}");
                    long t = long.Parse(parts[0], CultureInfo.InvariantCulture);
                    Assert.Equal(TransactionCrashChild.RecordsOf(t), int.Parse(parts[1], CultureInfo.InvariantCulture));
                    Assert.True(t >= previous, $"transactions out of order in {topic}-{p}: {t} after {previous}");
                    previous = t;
                    counts[t] = counts.GetValueOrDefault(t) + 1;
                }
            }
        }

        for (long t = 0; t < n; t++)
        {
            Assert.True(counts.TryGetValue(t, out int c) && c == TransactionCrashChild.RecordsOf(t), $"transaction {t} (committed offset {n}) has {counts.GetValueOrDefault(t)} of {TransactionCrashChild.RecordsOf(t)} records");
        }

        Assert.True(counts.Keys.All(t => t < n), $"records of transaction(s) {string.Join(", ", counts.Keys.Where(t => t >= n))} are present although the committed offset is {n}");
        return n;
    }
}
