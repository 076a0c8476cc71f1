using Kappa.Naming;
using Kappa.Sinks.Tests.Infrastructure;
using Kappa.SinkHost.Records;

namespace Kappa.Sinks.Tests;

/// <summary>
/// Names that would be unsafe in SQL: KappaNames refuses what is not a Kafka name (so no quote or semicolon reaches a
/// table name), and everything that does reach SQL (mixed case, reserved words, the PostgreSQL schema) is quoted.
/// </summary>
public sealed class NameQuotingTests
{
    [Theory]
    [InlineData("orders\"; DROP TABLE orders_v1; --")]
    [InlineData("orders' OR '1'='1")]
    [InlineData("a b")]
    [InlineData("orders;")]
    [InlineData("orders\0")]
    public void InjectionShapedSinkNames_AreRejected(string sink)
    {
        Assert.Throws<ArgumentException>(() => new SinkTarget(sink, 1));
        Assert.Throws<ArgumentException>(() => KappaNames.ServingView(sink));
        Assert.Throws<ArgumentException>(() => KappaNames.SinkDeadLetter(sink, 1));
    }

    [Fact]
    public void SinkNames_MapToTableAndViewNames()
    {
        var target = new SinkTarget("Order-Totals.eu", 2);
        Assert.Equal("Order_Totals_eu_v2", target.Table);
        Assert.Equal("Order_Totals_eu", target.View);
        Assert.Equal("Order-Totals.eu.v2", target.Topic);
        Assert.Equal("Order-Totals.eu.v2.sink-dlq", target.DeadLetterTopic);
    }

    [Theory]
    [InlineData(DatabaseKind.Sqlite, null)]
    [InlineData(DatabaseKind.PostgreSql, "kappa\"; DROP SCHEMA public CASCADE; --")]
    public void ReservedAndMixedCaseNames_AndAnInjectionShapedSchema_AreQuotedAtRunTime(DatabaseKind kind, string? schema)
    {
        using var transport = TestTransport.Create(TransportKind.EmbeddedLog);
        using var db = TestDatabase.Create(kind, schema is null ? null : schema + Guid.NewGuid().ToString("N")[..6]);
        var target = new SinkTarget("Select.From-Where", 1);
        var random = new Random(4);
        Workload.ProduceEntries(transport.Transport, target.Topic, 2, Enumerable.Range(0, 100).Select(i => Workload.Entry(i, random)));
        using var run = new WriterRun<LedgerEntry>(transport.Transport, db, target, MaterializationTests.Options(maxBatch: 30));
        run.WaitCaughtUp();
        db.Database.SwitchServingView(target);
        Assert.Equal(1, db.Database.GetServingVersion(target.Sink));
        Assert.True(db.TableExists("Select_From_Where_v1"), "the table keeps its exact (mixed-case) name");
        Assert.Equal(100, db.Scalar($"SELECT count(*) FROM {db.Relation("Select_From_Where")}"));
        Rows.AssertSame(Rows.ExpectedEntries(TopicTruth.ReadAll<LedgerEntry>(transport.Transport, target.Topic)), Rows.Entries(db, target.Table), "quoted table");
        if (kind == DatabaseKind.PostgreSql)
        {
            Assert.Equal(1, db.Scalar("SELECT count(*) FROM information_schema.schemata WHERE schema_name = 'public'"));
        }

        run.Stop();
    }

    [Fact]
    public void PostgreSqlRefusesNamesItWouldTruncate()
    {
        using var transport = TestTransport.Create(TransportKind.EmbeddedLog);
        using var db = TestDatabase.Create(DatabaseKind.PostgreSql);
        var target = new SinkTarget(new string('s', 70), 1);
        Workload.ProduceEntries(transport.Transport, target.Topic, 1, [Workload.Entry(1, new Random(1))]);
        var writer = new SinkWriter<LedgerEntry>(transport.Transport, db.Database, target);
        var error = Assert.Throws<TableSchemaException>(() => writer.Run(CancellationToken.None));
        Assert.Contains("at most 63", error.Message, StringComparison.Ordinal);
    }
}
