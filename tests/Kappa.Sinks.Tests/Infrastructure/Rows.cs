using Kappa.SinkHost.Records;

namespace Kappa.Sinks.Tests.Infrastructure;

/// <summary>Expected rows of the test tables in <see cref="Canonical"/> form, and the queries that read them back.</summary>
public static class Rows
{
    public static IReadOnlyList<TableColumnType> PositionTypes { get; } = Position.TableSchema.Columns.Select(c => c.Type).ToList();

    public static string[] Of(Position p) =>
    [
        Canonical.Of(p.Account, TableColumnType.Int64),
        Canonical.Of(p.Active, TableColumnType.Boolean),
        Canonical.Of(p.Count, TableColumnType.Int32),
        Canonical.Of(p.Ratio, TableColumnType.Float32),
        Canonical.Of(p.Score, TableColumnType.Float64),
        Canonical.Of(p.Amount, TableColumnType.Decimal),
        Canonical.Of(p.Name, TableColumnType.Text),
        Canonical.Of(p.Note, TableColumnType.Text),
        Canonical.Of(p.Payload, TableColumnType.Bytes),
        Canonical.Of(p.RefId, TableColumnType.Uuid),
        Canonical.Of(p.UpdatedAt, TableColumnType.TimestampTz),
        Canonical.Of(p.Tags, TableColumnType.Json),
    ];

    /// <summary>The positions in a relation (table or view), sorted like <see cref="TopicTruth.LatestPerKey"/>.</summary>
    public static List<string[]> Positions(TestDatabase db, string relation)
    {
        string columns = string.Join(", ", Position.TableSchema.Columns.Select(c => db.Quote(c.Name)));
        return db.Query($"SELECT {columns} FROM {db.Relation(relation)}", PositionTypes).OrderBy(r => r[0], StringComparer.Ordinal).ToList();
    }

    public static List<string[]> ExpectedPositions(IEnumerable<TopicTruth.Entry<Position>> records) =>
        TopicTruth.LatestPerKey(records, p => Canonical.Of(p.Account, TableColumnType.Int64), Of);

    private static readonly TableColumnType[] EntryTypes = [TableColumnType.Int32, TableColumnType.Int64, TableColumnType.Int64, TableColumnType.Text, TableColumnType.Decimal, TableColumnType.Text];

    /// <summary>Every row of an append table with its partition and offset, in (partition, offset) order.</summary>
    public static List<string[]> Entries(TestDatabase db, string table) =>
        db.Query($"SELECT _kappa_partition, _kappa_offset, entry_id, account, amount, memo FROM {db.Relation(table)} ORDER BY _kappa_partition, _kappa_offset", EntryTypes);

    public static List<string[]> ExpectedEntries(IEnumerable<TopicTruth.Entry<LedgerEntry>> records) =>
        records.Where(r => r.Value is not null).OrderBy(r => r.Partition).ThenBy(r => r.Offset).Select(r => new[]
        {
            Canonical.Of(r.Partition, TableColumnType.Int32),
            Canonical.Of(r.Offset, TableColumnType.Int64),
            Canonical.Of(r.Value!.EntryId, TableColumnType.Int64),
            Canonical.Of(r.Value.Account, TableColumnType.Text),
            Canonical.Of(r.Value.Amount, TableColumnType.Decimal),
            Canonical.Of(r.Value.Memo, TableColumnType.Text),
        }).ToList();

    /// <summary>Compares row lists and on failure names the first difference (xunit would print two long lists).</summary>
    public static void AssertSame(List<string[]> expected, List<string[]> actual, string what)
    {
        for (int i = 0; i < Math.Min(expected.Count, actual.Count); i++)
        {
            if (!expected[i].SequenceEqual(actual[i]))
            {
                Assert.Fail($"{what}: row {i} differs.\nexpected: {string.Join(" | ", expected[i])}\nactual:   {string.Join(" | ", actual[i])}");
            }
        }

        Assert.True(expected.Count == actual.Count, $"{what}: expected {expected.Count} rows, found {actual.Count}.");
    }
}
