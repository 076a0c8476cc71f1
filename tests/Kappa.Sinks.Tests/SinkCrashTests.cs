using System.Globalization;
using Kappa.Log;
using Kappa.PostgreSql;
using Kappa.SinkHost.Records;
using Kappa.Sinks.Tests.Infrastructure;
using Kappa.Sqlite;
using Xunit.Abstractions;

namespace Kappa.Sinks.Tests;

/// <summary>
/// SIGKILL the process hosting two sink writers (append and upsert, registered with KappaBuilder.AddSink) at random
/// moments, four times, then let a fifth run finish: both tables equal an uninterrupted run and the topic's truth; no
/// appended row is doubled or missing.
/// </summary>
public sealed class SinkCrashTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.PostgreSql)]
    public void KilledAtRandomMoments_TheTablesEqualAnUninterruptedRun(DatabaseKind kind)
    {
        string logDir = Directory.CreateTempSubdirectory("kappa-sink-crash-").FullName;
        try
        {
            var ledger = new SinkTarget("ledger", 1);
            var positions = new SinkTarget("positions", 1);
            List<string[]> expectedEntries, expectedPositions;
            using (var transport = new EmbeddedLogTransport(new EmbeddedLogOptions { Directory = logDir }))
            {
                var random = new Random(21);
                Workload.ProduceEntries(transport, ledger.Topic, 3, Enumerable.Range(0, 12_000).Select(i => Workload.Entry(i, random)));
                Workload.ProducePositions(transport, positions.Topic, partitions: 3, records: 6_000, accounts: 400, seed: 22);
                expectedEntries = Rows.ExpectedEntries(TopicTruth.ReadAll<LedgerEntry>(transport, ledger.Topic));
                expectedPositions = Rows.ExpectedPositions(TopicTruth.ReadAll<Position>(transport, positions.Topic));
            }

            using var crashed = TestDatabase.Create(kind);
            string[] hostArgs = kind == DatabaseKind.Sqlite
                ? [logDir, "sqlite", ((SqliteSinkDatabase)crashed.Database).Path]
                : [logDir, "postgres", PostgresServer.ConnectionString, crashed.Schema!];
            const long Total = 18_000;
            var kills = new List<string>();
            long previous = -1;
            int midRunKills = 0;
            for (int kill = 0; kill < 4; kill++)
            {
                // A fast run (SQLite at low load) can commit everything before the planned kills are spent: then there is
                // nothing left to interrupt, and waiting for more batches would only time out.
                if (previous == Total)
                {
                    break;
                }

                using var host = SinkHostProcess.Start(hostArgs);
                // Kill after a random number of committed batches (so a fast database cannot finish before the kills), plus a
                // random few milliseconds, so the kill lands anywhere in a batch: while rows are written, at the commit, between batches.
                int batches = Random.Shared.Next(3, 40);
                int delay = Random.Shared.Next(0, 15);
                host.WaitForLine(
                    l => l.StartsWith("progress ", StringComparison.Ordinal) && (Batches(l) >= batches || (Batches(l) > 0 && Lag(l) == 0)),
                    TimeSpan.FromSeconds(60),
                    $"{batches} committed batches or lag 0 (run {kill + 1}; before: {string.Join("; ", kills)})");
                Thread.Sleep(delay);
                host.Kill();
                long committed = crashed.CommittedOffsets(ledger.Table) + crashed.CommittedOffsets(positions.Table);
                kills.Add($"kill {kill + 1} after {batches} batches + {delay} ms: {committed} offsets committed");
                Assert.True(committed > previous, $"no progress between kills: {string.Join("; ", kills)}");
                previous = committed;
                midRunKills += committed < Total ? 1 : 0;
            }

            Assert.True(midRunKills >= 2, $"fewer than two kills landed before the writers finished, so the kills tested little: {string.Join("; ", kills)}");
            using (var final = SinkHostProcess.Start(hostArgs))
            {
                // When the kills already saw every offset committed, the final run has no batch left to write: lag 0 alone ends it.
                bool allCommitted = previous == Total;
                final.WaitForLine(
                    l => l.StartsWith("progress ", StringComparison.Ordinal) && (Batches(l) > 0 || allCommitted) && Lag(l) == 0,
                    TimeSpan.FromSeconds(120),
                    "lag 0");
                Assert.Equal(0, final.Stop(TimeSpan.FromSeconds(60)));
            }

            // The same topics through writers that were never interrupted, into a database of their own.
            using var uninterrupted = TestDatabase.Create(kind);
            using (var transport = new EmbeddedLogTransport(new EmbeddedLogOptions { Directory = logDir }))
            {
                using var a = new WriterRun<LedgerEntry>(transport, uninterrupted, ledger, MaterializationTests.Options(maxBatch: 500));
                using var b = new WriterRun<Position>(transport, uninterrupted, positions, MaterializationTests.Options(maxBatch: 500));
                a.WaitCaughtUp();
                b.WaitCaughtUp();
                a.Stop();
                b.Stop();

                // A row written twice would be refused by the append table's key and dead-lettered: there must be none.
                Assert.Empty(DeadLetterReader.ReadAll(transport, ledger.DeadLetterTopic));
                Assert.Empty(DeadLetterReader.ReadAll(transport, positions.DeadLetterTopic));
            }

            string context = string.Join("; ", kills);
            output.WriteLine(context);
            Rows.AssertSame(Rows.Entries(uninterrupted, ledger.Table), Rows.Entries(crashed, ledger.Table), $"append table vs an uninterrupted run ({context})");
            Rows.AssertSame(expectedEntries, Rows.Entries(crashed, ledger.Table), $"append table vs the topic ({context})");
            Rows.AssertSame(Rows.Positions(uninterrupted, positions.Table), Rows.Positions(crashed, positions.Table), $"upsert table vs an uninterrupted run ({context})");
            Rows.AssertSame(expectedPositions, Rows.Positions(crashed, positions.Table), $"upsert table vs the topic ({context})");
        }
        finally
        {
            Directory.Delete(logDir, recursive: true);
        }
    }

    private static long Batches(string line) => long.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture);

    private static long Lag(string line) => long.Parse(line.Split(' ')[2], CultureInfo.InvariantCulture);
}
