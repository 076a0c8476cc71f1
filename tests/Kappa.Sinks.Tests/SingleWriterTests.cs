using Kappa.SinkHost.Records;
using Kappa.Sinks.Tests.Infrastructure;

namespace Kappa.Sinks.Tests;

/// <summary>
/// Two writers started for one table (a misconfiguration the database must survive): the second waits on the first's
/// lock (PostgreSQL advisory lock, SQLite lock file), so no row is ever written twice; when the first stops, the second
/// takes over from the database's offsets.
/// </summary>
public sealed class SingleWriterTests
{
    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.PostgreSql)]
    public void ASecondWriterOfTheSameTable_WaitsAndNeverDoublesARow(DatabaseKind kind)
    {
        using var transport = TestTransport.Create(TransportKind.EmbeddedLog);
        using var db = TestDatabase.Create(kind);
        var target = new SinkTarget("ledger", 1);
        var random = new Random(12);
        Workload.ProduceEntries(transport.Transport, target.Topic, 2, Enumerable.Range(0, 2000).Select(i => Workload.Entry(i, random)));
        var secondLog = new CapturingLogger();
        using var first = new WriterRun<LedgerEntry>(transport.Transport, db, target, MaterializationTests.Options(maxBatch: 50));
        first.WaitCaughtUp();
        using var second = new WriterRun<LedgerEntry>(transport.Transport, db, target, MaterializationTests.Options(maxBatch: 50), secondLog);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!secondLog.Entries.Any(e => e.Id.Id == 102 && e.Error?.Message.Contains("Another sink writer holds table", StringComparison.Ordinal) == true))
        {
            Assert.True(DateTime.UtcNow < deadline, "the second writer never reported that the table is held");
            Thread.Sleep(20);
        }

        first.Stop();
        Workload.ProduceEntries(transport.Transport, target.Topic, 2, Enumerable.Range(2000, 500).Select(i => Workload.Entry(i, random)));
        second.WaitCaughtUp();
        Assert.Contains(secondLog.Entries, e => e.Id.Id == 103);
        Rows.AssertSame(Rows.ExpectedEntries(TopicTruth.ReadAll<LedgerEntry>(transport.Transport, target.Topic)), Rows.Entries(db, target.Table), "one writer after the other");
        Assert.Empty(DeadLetterReader.ReadAll(transport.Transport, target.DeadLetterTopic));
        second.Stop();
    }
}
