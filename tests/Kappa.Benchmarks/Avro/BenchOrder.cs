using System.Text.Json.Serialization;
using Kappa;

namespace Kappa.Benchmarks.Avro;

public enum BenchStatus
{
    Placed,
    Paid,
    Shipped,
}

[AvroRecord]
public partial record BenchAddress(string Street, string City, string Country);

[AvroRecord]
public partial record BenchLine(string Sku, int Quantity, [AvroDecimal(18, 2)] decimal Price);

/// <summary>The Order-like message of the codec benchmarks: strings, a decimal, a timestamp, a nested record and a list.</summary>
[AvroRecord]
public partial record BenchOrder(
    string OrderId,
    string Customer,
    [AvroDecimal(18, 2)] decimal Total,
    DateTimeOffset PlacedAt,
    BenchAddress ShipTo,
    List<BenchLine> Lines,
    BenchStatus Status);

[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Default)]
[JsonSerializable(typeof(BenchOrder))]
public partial class BenchJsonContext : JsonSerializerContext
{
}
