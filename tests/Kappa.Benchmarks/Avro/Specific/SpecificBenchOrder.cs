using Avro;
using Avro.Specific;

// Apache.Avro "specific" records for the benchmark order, written by hand in the shape Apache's code generator gives
// (ISpecificRecord with Schema, Get and Put by field position, IList<T> for arrays, DateTime for timestamp-millis, a C#
// enum put by ordinal). Apache's specific readers find these classes by the reader schema's full name, so they live in
// their own namespace; each named type carries the Kappa type's full name as an alias, so Apache resolves data written
// with Kappa's BenchOrder schema (same fields, other namespace) against them.
namespace Kappa.Benchmarks.Avro.Specific;

public enum BenchStatus
{
    Placed,
    Paid,
    Shipped,
}

public sealed class BenchAddress : ISpecificRecord
{
    public static readonly Schema _SCHEMA = ((RecordSchema)BenchOrder._SCHEMA)["ShipTo"].Schema;

    public string Street { get; set; } = string.Empty;

    public string City { get; set; } = string.Empty;

    public string Country { get; set; } = string.Empty;

    public Schema Schema => _SCHEMA;

    public object Get(int fieldPos) => fieldPos switch
    {
        0 => Street,
        1 => City,
        2 => Country,
        _ => throw new AvroRuntimeException($"Bad index {fieldPos} in Get()"),
    };

    public void Put(int fieldPos, object fieldValue)
    {
        switch (fieldPos)
        {
            case 0: Street = (string)fieldValue; break;
            case 1: City = (string)fieldValue; break;
            case 2: Country = (string)fieldValue; break;
            default: throw new AvroRuntimeException($"Bad index {fieldPos} in Put()");
        }
    }
}

public sealed class BenchLine : ISpecificRecord
{
    public static readonly Schema _SCHEMA = ((ArraySchema)((RecordSchema)BenchOrder._SCHEMA)["Lines"].Schema).ItemSchema;

    public string Sku { get; set; } = string.Empty;

    public int Quantity { get; set; }

    public decimal Price { get; set; }

    public Schema Schema => _SCHEMA;

    public object Get(int fieldPos) => fieldPos switch
    {
        0 => Sku,
        1 => Quantity,
        2 => (AvroDecimal)Price,
        _ => throw new AvroRuntimeException($"Bad index {fieldPos} in Get()"),
    };

    public void Put(int fieldPos, object fieldValue)
    {
        switch (fieldPos)
        {
            case 0: Sku = (string)fieldValue; break;
            case 1: Quantity = (int)fieldValue; break;
            case 2: Price = (decimal)(AvroDecimal)fieldValue; break;
            default: throw new AvroRuntimeException($"Bad index {fieldPos} in Put()");
        }
    }
}

public sealed class BenchOrder : ISpecificRecord
{
    public static readonly Schema _SCHEMA = Schema.Parse("""
        {"type":"record","name":"BenchOrder","namespace":"Kappa.Benchmarks.Avro.Specific","aliases":["Kappa.Benchmarks.Avro.BenchOrder"],"fields":[
          {"name":"OrderId","type":"string"},
          {"name":"Customer","type":"string"},
          {"name":"Total","type":{"type":"bytes","logicalType":"decimal","precision":18,"scale":2}},
          {"name":"PlacedAt","type":{"type":"long","logicalType":"timestamp-millis"}},
          {"name":"ShipTo","type":{"type":"record","name":"BenchAddress","aliases":["Kappa.Benchmarks.Avro.BenchAddress"],"fields":[
            {"name":"Street","type":"string"},{"name":"City","type":"string"},{"name":"Country","type":"string"}]}},
          {"name":"Lines","type":{"type":"array","items":{"type":"record","name":"BenchLine","aliases":["Kappa.Benchmarks.Avro.BenchLine"],"fields":[
            {"name":"Sku","type":"string"},{"name":"Quantity","type":"int"},
            {"name":"Price","type":{"type":"bytes","logicalType":"decimal","precision":18,"scale":2}}]}}},
          {"name":"Status","type":{"type":"enum","name":"BenchStatus","aliases":["Kappa.Benchmarks.Avro.BenchStatus"],"symbols":["Placed","Paid","Shipped"]}}]}
        """);

    public string OrderId { get; set; } = string.Empty;

    public string Customer { get; set; } = string.Empty;

    public decimal Total { get; set; }

    public DateTime PlacedAt { get; set; }

    public BenchAddress ShipTo { get; set; } = new();

    public IList<BenchLine> Lines { get; set; } = [];

    public BenchStatus Status { get; set; }

    public Schema Schema => _SCHEMA;

    public object Get(int fieldPos) => fieldPos switch
    {
        0 => OrderId,
        1 => Customer,
        2 => (AvroDecimal)Total,
        3 => PlacedAt,
        4 => ShipTo,
        5 => Lines,
        6 => Status,
        _ => throw new AvroRuntimeException($"Bad index {fieldPos} in Get()"),
    };

    public void Put(int fieldPos, object fieldValue)
    {
        switch (fieldPos)
        {
            case 0: OrderId = (string)fieldValue; break;
            case 1: Customer = (string)fieldValue; break;
            case 2: Total = (decimal)(AvroDecimal)fieldValue; break;
            case 3: PlacedAt = (DateTime)fieldValue; break;
            case 4: ShipTo = (BenchAddress)fieldValue; break;
            case 5: Lines = (IList<BenchLine>)fieldValue; break;
            case 6: Status = (BenchStatus)fieldValue; break;
            default: throw new AvroRuntimeException($"Bad index {fieldPos} in Put()");
        }
    }
}
