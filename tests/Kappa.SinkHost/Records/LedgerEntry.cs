using Kappa.Sinks;
using Kappa.Avro;

namespace Kappa.SinkHost.Records;

/// <summary>
/// An append table, ITableRecord and IAvroRecord by hand: record LedgerEntry { long entry_id; string account;
/// decimal(12,2) amount; string memo }. The table's amount column is numeric(7,2), narrower than the topic's type, so
/// PostgreSQL refuses amounts of 100,000 and more (the "value out of a column's range" case); entry_id has a unique
/// index, so both databases refuse a repeated entry id.
/// </summary>
public sealed record LedgerEntry : ITableRecord<LedgerEntry>, IAvroRecord<LedgerEntry>
{
    public long EntryId { get; init; }

    public string Account { get; init; } = string.Empty;

    public decimal Amount { get; init; }

    public string Memo { get; init; } = string.Empty;

    public static TableSchema TableSchema { get; } = new(
        TableMode.Append,
        [
            new TableColumn("entry_id", TableColumnType.Int64),
            new TableColumn("account", TableColumnType.Text),
            new TableColumn("amount", TableColumnType.Decimal, Precision: 7, Scale: 2),
            new TableColumn("memo", TableColumnType.Text),
        ],
        indexes: [new TableIndex(["entry_id"], Unique: true), new TableIndex(["account"])]);

    public static void WriteRow<TWriter>(in LedgerEntry value, ref TWriter writer)
        where TWriter : struct, IRowWriter
    {
        writer.WriteInt64(value.EntryId);
        writer.WriteText(value.Account);
        writer.WriteDecimal(value.Amount);
        writer.WriteText(value.Memo);
    }

    public static string AvroSchemaJson => """{"type":"record","name":"LedgerEntry","fields":[{"name":"entry_id","type":"long"},{"name":"account","type":"string"},{"name":"amount","type":{"type":"bytes","logicalType":"decimal","precision":12,"scale":2}},{"name":"memo","type":"string"}]}""";

    public static string AvroCanonicalSchema => AvroSchemaJson;

    public static long AvroFingerprint => 12;

    public static LedgerEntry ReadAvro(ref AvroReader reader) => new()
    {
        EntryId = reader.ReadLong(),
        Account = reader.ReadString(),
        Amount = reader.ReadDecimal(2),
        Memo = reader.ReadString(),
    };

    public static void WriteAvro(ref AvroWriter writer, in LedgerEntry value)
    {
        writer.WriteLong(value.EntryId);
        writer.WriteString(value.Account);
        if (!writer.TryWriteDecimal(value.Amount, 12, 2))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value.Amount, "amount does not fit decimal(12,2)");
        }

        writer.WriteString(value.Memo);
    }
}
