using Kappa.Avro;
using Kappa.Sinks;

namespace Kappa.Benchmarks.Sinks;

/// <summary>
/// The benchmark's row (ITableRecord written by hand as the generator will emit it): id bigint, account text,
/// amount numeric(12,2), at timestamptz, memo text. <see cref="Append"/> and <see cref="Upsert"/> are the same columns as
/// an append table and as an upsert table keyed by id.
/// </summary>
public sealed record BenchLedgerRow(long Id, string Account, decimal Amount, DateTimeOffset At, string Memo)
{
    public static readonly TableColumn[] Columns =
    [
        new("id", TableColumnType.Int64),
        new("account", TableColumnType.Text),
        new("amount", TableColumnType.Decimal, Precision: 12, Scale: 2),
        new("at", TableColumnType.TimestampTz),
        new("memo", TableColumnType.Text),
    ];

    public static void Write<TWriter>(BenchLedgerRow row, ref TWriter writer)
        where TWriter : struct, IRowWriter
    {
        writer.WriteInt64(row.Id);
        writer.WriteText(row.Account);
        writer.WriteDecimal(row.Amount);
        writer.WriteTimestamp(row.At);
        writer.WriteText(row.Memo);
    }

    public static List<BenchLedgerRow> Create(int count, int distinctIds)
    {
        var random = new Random(42);
        return Enumerable.Range(0, count).Select(i => new BenchLedgerRow(
            i % distinctIds,
            "account-" + random.Next(1000),
            Math.Round((decimal)random.NextDouble() * 100_000m, 2),
            new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(random.NextInt64(0, 10_000_000_000) * 10),
            "memo for entry " + i)).ToList();
    }

    /// <summary>As an append table.</summary>
    public sealed class Append : ITableRecord<Append>, IAvroRecord<Append>
    {
        public required BenchLedgerRow Row { get; init; }

        public static TableSchema TableSchema { get; } = new(TableMode.Append, Columns);

        public static void WriteRow<TWriter>(in Append value, ref TWriter writer)
            where TWriter : struct, IRowWriter => Write(value.Row, ref writer);

        public static string AvroSchemaJson => "{}";

        public static string AvroCanonicalSchema => "{}";

        public static long AvroFingerprint => 0;

        public static Append ReadAvro(ref AvroReader reader) => throw new NotSupportedException("The sink benchmarks bind rows that are already decoded.");

        public static void WriteAvro(ref AvroWriter writer, in Append value) => throw new NotSupportedException();
    }

    /// <summary>As an upsert table keyed by id.</summary>
    public sealed class Upsert : ITableRecord<Upsert>, IAvroRecord<Upsert>
    {
        public required BenchLedgerRow Row { get; init; }

        public static TableSchema TableSchema { get; } = new(TableMode.Upsert, [Columns[0] with { IsKey = true }, .. Columns[1..]], ["id"]);

        public static void WriteRow<TWriter>(in Upsert value, ref TWriter writer)
            where TWriter : struct, IRowWriter => Write(value.Row, ref writer);

        public static string AvroSchemaJson => "{}";

        public static string AvroCanonicalSchema => "{}";

        public static long AvroFingerprint => 0;

        public static Upsert ReadAvro(ref AvroReader reader) => throw new NotSupportedException("The sink benchmarks bind rows that are already decoded.");

        public static void WriteAvro(ref AvroWriter writer, in Upsert value) => throw new NotSupportedException();
    }
}
