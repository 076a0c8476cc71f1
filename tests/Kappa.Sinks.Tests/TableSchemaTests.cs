namespace Kappa.Sinks.Tests;

/// <summary>TableSchema refuses what no database could create, with a message naming the column and the rule.</summary>
public sealed class TableSchemaTests
{
    private static readonly TableColumn Id = new("id", TableColumnType.Int64, IsKey: true);

    [Theory]
    [InlineData("1abc")]
    [InlineData("a-b")]
    [InlineData("a b")]
    [InlineData("x\"; DROP TABLE t; --")]
    [InlineData("ünicode")]
    [InlineData("")]
    public void InvalidColumnNames_AreRefused(string name)
    {
        var error = Assert.Throws<TableSchemaException>(() => new TableSchema(TableMode.Append, [new TableColumn(name, TableColumnType.Text)]));
        Assert.Contains("name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SixtyFourCharacterName_IsRefused_SixtyThreeIsAccepted()
    {
        Assert.Throws<TableSchemaException>(() => new TableSchema(TableMode.Append, [new TableColumn(new string('a', 64), TableColumnType.Text)]));
        var schema = new TableSchema(TableMode.Append, [new TableColumn(new string('a', 63), TableColumnType.Text)]);
        Assert.Equal(63, schema.Columns[0].Name.Length);
    }

    [Fact]
    public void NamesAreLowerCased()
    {
        var schema = new TableSchema(TableMode.Upsert, [new TableColumn("OrderId", TableColumnType.Int64, IsKey: true)], ["ORDERID"]);
        Assert.Equal("orderid", schema.Columns[0].Name);
        Assert.Equal("orderid", schema.KeyColumns[0].Name);
    }

    [Fact]
    public void ReservedPrefix_IsRefused() =>
        Assert.Contains("_kappa", Assert.Throws<TableSchemaException>(() => new TableSchema(TableMode.Append, [new TableColumn("_kappa_offset", TableColumnType.Int64)])).Message, StringComparison.Ordinal);

    [Fact]
    public void DuplicateColumns_AreRefused_CaseInsensitively() =>
        Assert.Contains("twice", Assert.Throws<TableSchemaException>(() => new TableSchema(TableMode.Append, [new TableColumn("a", TableColumnType.Int64), new TableColumn("A", TableColumnType.Text)])).Message, StringComparison.Ordinal);

    [Fact]
    public void UpsertWithoutKey_IsRefused() =>
        Assert.Contains("at least one key", Assert.Throws<TableSchemaException>(() => new TableSchema(TableMode.Upsert, [new TableColumn("a", TableColumnType.Int64)])).Message, StringComparison.Ordinal);

    [Fact]
    public void AppendWithKey_IsRefused() =>
        Assert.Contains("append table has no key", Assert.Throws<TableSchemaException>(() => new TableSchema(TableMode.Append, [Id], ["id"])).Message, StringComparison.Ordinal);

    [Fact]
    public void KeyMustExist_BeNotNull_AndNotJson()
    {
        Assert.Throws<TableSchemaException>(() => new TableSchema(TableMode.Upsert, [Id], ["missing"]));
        Assert.Throws<TableSchemaException>(() => new TableSchema(TableMode.Upsert, [new TableColumn("id", TableColumnType.Int64, Nullable: true, IsKey: true)], ["id"]));
        Assert.Throws<TableSchemaException>(() => new TableSchema(TableMode.Upsert, [new TableColumn("id", TableColumnType.Json, IsKey: true)], ["id"]));
    }

    [Fact]
    public void IsKeyMustAgreeWithTheKeyList()
    {
        Assert.Throws<TableSchemaException>(() => new TableSchema(TableMode.Upsert, [Id, new TableColumn("b", TableColumnType.Int64)], ["id", "b"]));
        Assert.Throws<TableSchemaException>(() => new TableSchema(TableMode.Upsert, [Id, new TableColumn("b", TableColumnType.Int64, IsKey: true)], ["id"]));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(5, 6)]
    [InlineData(1001, 2)]
    [InlineData(10, -1)]
    public void DecimalNeedsAValidPrecisionAndScale(int precision, int scale) =>
        Assert.Throws<TableSchemaException>(() => new TableSchema(TableMode.Append, [new TableColumn("d", TableColumnType.Decimal, Precision: precision, Scale: scale)]));

    [Fact]
    public void PrecisionOnANonDecimal_IsRefused() =>
        Assert.Throws<TableSchemaException>(() => new TableSchema(TableMode.Append, [new TableColumn("d", TableColumnType.Int64, Precision: 5)]));

    [Fact]
    public void IndexesMustNameColumns()
    {
        Assert.Throws<TableSchemaException>(() => new TableSchema(TableMode.Upsert, [Id], ["id"], [new TableIndex(["nope"])]));
        Assert.Throws<TableSchemaException>(() => new TableSchema(TableMode.Upsert, [Id], ["id"], [new TableIndex([])]));
        Assert.Throws<TableSchemaException>(() => new TableSchema(TableMode.Upsert, [Id], ["id"], [new TableIndex(["id", "ID"])]));
        var schema = new TableSchema(TableMode.Upsert, [Id], ["id"], [new TableIndex(["ID"], Unique: true)]);
        Assert.Equal(["id"], schema.Indexes[0].Columns);
        Assert.True(schema.Indexes[0].Unique);
    }

    [Fact]
    public void AWriterOfATypeWithAnInvalidSchema_FailsAtConstruction_NamingTheProblem()
    {
        using var transport = Infrastructure.TestTransport.Create(Infrastructure.TransportKind.EmbeddedLog);
        using var db = TestDatabase.Create(DatabaseKind.Sqlite);
        var error = Assert.Throws<TableSchemaException>(() => new SinkWriter<BrokenRecord>(transport.Transport, db.Database, new SinkTarget("broken", 1)));
        Assert.Contains("BrokenRecord", error.Message, StringComparison.Ordinal);
        Assert.Contains("at least one key", error.Message, StringComparison.Ordinal);
    }

    /// <summary>An upsert table without a key: its static schema initializer throws.</summary>
    private sealed class BrokenRecord : ITableRecord<BrokenRecord>, Avro.IAvroRecord<BrokenRecord>
    {
        public static TableSchema TableSchema { get; } = new(TableMode.Upsert, [new TableColumn("a", TableColumnType.Int64)]);

        public static string AvroSchemaJson => "{}";

        public static string AvroCanonicalSchema => "{}";

        public static long AvroFingerprint => 0;

        public static void WriteRow<TWriter>(in BrokenRecord value, ref TWriter writer)
            where TWriter : struct, IRowWriter => writer.WriteInt64(0);

        public static BrokenRecord ReadAvro(ref Avro.AvroReader reader) => new();

        public static void WriteAvro(ref Avro.AvroWriter writer, in BrokenRecord value) => writer.WriteLong(0);
    }
}
