using Kappa.SinkHost.Records;

namespace Kappa.Sinks.Tests.Infrastructure;

/// <summary>
/// Later versions of <see cref="LedgerEntry"/>'s table (entry_id bigint, account text, amount numeric(7,2), memo text)
/// for the serving views' column changes: their tables are made by a sink table's <c>Open</c> and filled by SQL
/// (<see cref="Materialize{T}"/>), which is all a view switch looks at.
/// </summary>
public static class EvolvedLedger
{
    /// <summary>
    /// Creates the target's table for <typeparamref name="T"/> and inserts <paramref name="rows"/> rows numbered from 1:
    /// entry_id n, account 'a' || n % 7, amount n % 1000, memo 'm' || n, region 'r' || n % 3 (the columns the table has);
    /// <paramref name="values"/> replaces some of these SQL expressions of n.
    /// </summary>
    public static void Materialize<T>(TestDatabase db, SinkTarget target, int rows, IReadOnlyDictionary<string, string>? values = null)
        where T : ITableRecord<T>
    {
        using (ISinkTable<T> table = db.Database.OpenTable<T>(target))
        {
            table.Open(target.Topic);
        }

        var expressions = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["entry_id"] = "n",
            ["account"] = "'a' || (n % 7)",
            ["amount"] = "n % 1000",
            ["memo"] = "'m' || n",
            ["region"] = "'r' || (n % 3)",
        };
        foreach ((string column, string expression) in values ?? new Dictionary<string, string>())
        {
            expressions[column] = expression;
        }

        string[] columns = T.TableSchema.Columns.Select(c => c.Name).ToArray();
        string names = string.Join(", ", columns.Select(db.Quote));
        string selected = string.Join(", ", columns.Select(c => expressions.TryGetValue(c, out string? value) ? value : throw new ArgumentException($"No test value for column {c} of {typeof(T).Name}.", nameof(T))));
        db.Execute(db.Kind == DatabaseKind.Sqlite
            ? $"WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {rows}) INSERT INTO {db.Relation(target.Table)} (_kappa_partition, _kappa_offset, {names}) SELECT 0, n, {selected} FROM s"
            : $"INSERT INTO {db.Relation(target.Table)} (_kappa_partition, _kappa_offset, {names}) SELECT 0, n, {selected} FROM generate_series(1, {rows}) AS s(n)");
    }
}

/// <summary>The ledger with one more column, <c>region</c> (appended: the common evolution).</summary>
public sealed record LedgerEntryWithRegion(long EntryId, string Account, decimal Amount, string Memo, string Region) : ITableRecord<LedgerEntryWithRegion>
{
    public static TableSchema TableSchema { get; } = new(
        TableMode.Append,
        [
            new TableColumn("entry_id", TableColumnType.Int64),
            new TableColumn("account", TableColumnType.Text),
            new TableColumn("amount", TableColumnType.Decimal, Precision: 7, Scale: 2),
            new TableColumn("memo", TableColumnType.Text),
            new TableColumn("region", TableColumnType.Text),
        ]);

    public static void WriteRow<TWriter>(in LedgerEntryWithRegion value, ref TWriter writer)
        where TWriter : struct, IRowWriter
    {
        writer.WriteInt64(value.EntryId);
        writer.WriteText(value.Account);
        writer.WriteDecimal(value.Amount);
        writer.WriteText(value.Memo);
        writer.WriteText(value.Region);
    }
}

/// <summary>The ledger without its <c>memo</c> column (a dropped column).</summary>
public sealed record LedgerEntryWithoutMemo(long EntryId, string Account, decimal Amount) : ITableRecord<LedgerEntryWithoutMemo>
{
    public static TableSchema TableSchema { get; } = new(
        TableMode.Append,
        [
            new TableColumn("entry_id", TableColumnType.Int64),
            new TableColumn("account", TableColumnType.Text),
            new TableColumn("amount", TableColumnType.Decimal, Precision: 7, Scale: 2),
        ]);

    public static void WriteRow<TWriter>(in LedgerEntryWithoutMemo value, ref TWriter writer)
        where TWriter : struct, IRowWriter
    {
        writer.WriteInt64(value.EntryId);
        writer.WriteText(value.Account);
        writer.WriteDecimal(value.Amount);
    }
}

/// <summary>
/// The ledger with narrower types: entry_id integer (ledger: bigint) and amount numeric(5,2) (ledger: numeric(7,2)), so
/// a view of the ledger's types holds every value of it.
/// </summary>
public sealed record NarrowLedgerEntry(int EntryId, string Account, decimal Amount, string Memo) : ITableRecord<NarrowLedgerEntry>
{
    public static TableSchema TableSchema { get; } = new(
        TableMode.Append,
        [
            new TableColumn("entry_id", TableColumnType.Int32),
            new TableColumn("account", TableColumnType.Text),
            new TableColumn("amount", TableColumnType.Decimal, Precision: 5, Scale: 2),
            new TableColumn("memo", TableColumnType.Text),
        ]);

    public static void WriteRow<TWriter>(in NarrowLedgerEntry value, ref TWriter writer)
        where TWriter : struct, IRowWriter
    {
        writer.WriteInt32(value.EntryId);
        writer.WriteText(value.Account);
        writer.WriteDecimal(value.Amount);
        writer.WriteText(value.Memo);
    }
}

/// <summary>
/// The ledger with a wider amount: numeric(12,2) (ledger: numeric(7,2)), which holds every value of the ledger's, so a
/// routed view of the ledger widens its amount to it when this version is prepared.
/// </summary>
public sealed record WideLedgerEntry(long EntryId, string Account, decimal Amount, string Memo) : ITableRecord<WideLedgerEntry>
{
    public static TableSchema TableSchema { get; } = new(
        TableMode.Append,
        [
            new TableColumn("entry_id", TableColumnType.Int64),
            new TableColumn("account", TableColumnType.Text),
            new TableColumn("amount", TableColumnType.Decimal, Precision: 12, Scale: 2),
            new TableColumn("memo", TableColumnType.Text),
        ]);

    public static void WriteRow<TWriter>(in WideLedgerEntry value, ref TWriter writer)
        where TWriter : struct, IRowWriter
    {
        writer.WriteInt64(value.EntryId);
        writer.WriteText(value.Account);
        writer.WriteDecimal(value.Amount);
        writer.WriteText(value.Memo);
    }
}
