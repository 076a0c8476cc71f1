using Kappa.PostgreSql;
using Kappa.Sinks.Tests.Infrastructure;
using Kappa.SinkHost.Records;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Kappa.Sinks.Tests;

/// <summary>
/// The database goes away mid-batch (its backend terminated with pg_terminate_backend from another connection,
/// repeatedly): the batch in flight is not committed, the writer logs a clear error, and resumes from the database's
/// offsets when it can connect again; the table ends exactly right (no row doubled, none missing, no dead letter).
/// </summary>
public sealed class DatabaseGoneTests
{
    [Fact]
    public void PostgreSqlBackendKilledMidBatch_NothingPartialIsCommitted_AndTheWriterResumes()
    {
        using var transport = TestTransport.Create(TransportKind.EmbeddedLog);
        using var db = TestDatabase.Create(DatabaseKind.PostgreSql);
        string application = "kappa-gone-" + Guid.NewGuid().ToString("N")[..8];
        var connection = new NpgsqlConnectionStringBuilder(PostgresServer.ConnectionString) { ApplicationName = application };
        using var writerDb = new PostgreSqlSinkDatabase(connection.ConnectionString, db.Schema!);
        var target = new SinkTarget("ledger", 1);
        var random = new Random(9);
        Workload.ProduceEntries(transport.Transport, target.Topic, 3, Enumerable.Range(0, 30_000).Select(i => Workload.Entry(i, random)));

        var logger = new CapturingLogger();
        var writer = new SinkWriter<LedgerEntry>(transport.Transport, writerDb, target, MaterializationTests.Options(maxBatch: 40), logger);
        using var stop = new CancellationTokenSource();
        var thread = new Thread(() => writer.Run(stop.Token)) { IsBackground = true };
        thread.Start();

        int kills = 0;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (kills < 5 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(150);
            long terminated = db.Scalar($"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = '{application}'");
            if (terminated > 0)
            {
                kills++;
            }
        }

        Assert.True(kills == 5, $"only {kills} of 5 kills found a writer connection within 60 s; writer log:\n{string.Join("\n", logger.Entries.Select(e => $"{e.Level} {e.Id.Id} {e.Message} {e.Error?.GetType().Name}: {e.Error?.Message}"))}");
        var run = new WaitOnly(db, transport, target);
        run.WaitCaughtUp();
        stop.Cancel();
        Assert.True(thread.Join(TimeSpan.FromSeconds(60)), "the writer did not stop");

        List<string[]> expected = Rows.ExpectedEntries(TopicTruth.ReadAll<LedgerEntry>(transport.Transport, target.Topic));
        Rows.AssertSame(expected, Rows.Entries(db, target.Table), "after the database went away five times");
        Assert.Empty(DeadLetterReader.ReadAll(transport.Transport, target.DeadLetterTopic));
        var failures = logger.Entries.Where(e => e.Id.Id == 102).ToList();
        Assert.NotEmpty(failures);
        Assert.All(failures, f =>
        {
            Assert.Equal(LogLevel.Error, f.Level);
            Assert.Contains("nothing of the current batch", f.Message, StringComparison.Ordinal);
            Assert.NotNull(f.Error);
        });
        Assert.Contains(logger.Entries, e => e.Id.Id == 103);
    }

    /// <summary>Waits on the database only (the writer runs on the test's own thread).</summary>
    private sealed class WaitOnly(TestDatabase db, TestTransport transport, SinkTarget target)
    {
        public void WaitCaughtUp()
        {
            long end = Enumerable.Range(0, transport.Transport.GetPartitionCount(target.Topic)!.Value)
                .Sum(p => transport.Transport.GetWatermarks(new Transport.TopicPartition(target.Topic, p)).High);
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (db.CommittedOffsets(target.Table) != end)
            {
                Assert.True(DateTime.UtcNow < deadline, $"{target.Table} did not catch up after the database came back");
                Thread.Sleep(50);
            }
        }
    }
}
