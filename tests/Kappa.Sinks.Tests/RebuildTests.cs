using Kappa.SinkHost.Records;
using Kappa.Sinks.Tests.Infrastructure;

namespace Kappa.Sinks.Tests;

/// <summary>Any version's table can be dropped and rebuilt from its topic alone; the serving version cannot be dropped.</summary>
public sealed class RebuildTests
{
    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.PostgreSql)]
    public void DroppedTable_IsRebuiltFromTheTopicAlone(DatabaseKind kind)
    {
        using var transport = TestTransport.Create(TransportKind.EmbeddedLog);
        using var db = TestDatabase.Create(kind);
        var v1 = new SinkTarget("positions", 1);
        var v2 = new SinkTarget("positions", 2);
        Workload.ProducePositions(transport.Transport, v1.Topic, partitions: 3, records: 800, accounts: 60, seed: 31);
        Workload.ProducePositions(transport.Transport, v2.Topic, partitions: 3, records: 300, accounts: 60, seed: 32);
        using (var w1 = new WriterRun<Position>(transport.Transport, db, v1, MaterializationTests.Options(maxBatch: 100)))
        using (var w2 = new WriterRun<Position>(transport.Transport, db, v2, MaterializationTests.Options(maxBatch: 100)))
        {
            w1.WaitCaughtUp();
            w2.WaitCaughtUp();
            w1.Stop();
            w2.Stop();
        }

        List<string[]> before = Rows.Positions(db, v1.Table);
        db.Database.SwitchServingView(v1);
        Assert.Contains("serving version", Assert.Throws<InvalidOperationException>(() => db.Database.DropTable(v1)).Message, StringComparison.Ordinal);
        db.Database.SwitchServingView(v2);
        Assert.Equal(2, db.Database.GetServingVersion("positions"));
        db.Database.DropTable(v1);
        Assert.False(db.TableExists(v1.Table));
        Assert.Equal(0, db.CommittedOffsets(v1.Table));

        using var rebuild = new WriterRun<Position>(transport.Transport, db, v1, MaterializationTests.Options(maxBatch: 100));
        rebuild.WaitCaughtUp();
        Rows.AssertSame(before, Rows.Positions(db, v1.Table), "rebuilt table");
        Rows.AssertSame(Rows.ExpectedPositions(TopicTruth.ReadAll<Position>(transport.Transport, v1.Topic)), Rows.Positions(db, v1.Table), "rebuilt table vs the topic");
        Rows.AssertSame(Rows.Positions(db, v2.Table), Rows.Positions(db, v2.View), "the view still serves v2");
        rebuild.Stop();
    }
}
