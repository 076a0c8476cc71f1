using Kappa;

namespace Kappa.Runtime.Tests.Avro;

public enum Status
{
    Pending,
    Shipped,
    Cancelled,
}

[AvroRecord]
public partial record Address(string Street, string? City, int Zip);

[AvroRecord]
public partial record struct Point(double X, double Y);

[AvroRecord]
public partial record OrderLine(string Sku, int Quantity, [AvroDecimal(18, 4)] decimal Price);

/// <summary>Every supported member type, positional (primary constructor).</summary>
[AvroRecord(Namespace = "kappa.tests")]
public partial record Everything(
    bool Flag,
    int Int,
    long Long,
    float Float,
    double Double,
    string Text,
    byte[] Bytes,
    ReadOnlyMemory<byte> Memory,
    Status Status,
    int? MaybeInt,
    string? MaybeText,
    Address Home,
    Address? Work,
    Point Location,
    Point? MaybeLocation,
    int[] Numbers,
    List<string> Tags,
    IReadOnlyList<OrderLine> Lines,
    Dictionary<string, long> Counters,
    IReadOnlyDictionary<string, Address?> Addresses,
    [AvroDecimal(20, 6)] decimal Amount,
    [AvroDecimal(10, 2)] decimal? MaybeAmount,
    DateTimeOffset CreatedMillis,
    [AvroTimestamp(AvroTimestampPrecision.Micros)] DateTimeOffset CreatedMicros,
    DateTime UpdatedMillis,
    [AvroTimestamp(AvroTimestampPrecision.Micros)] DateTime UpdatedMicros,
    DateOnly Day,
    Guid Id,
    Guid? MaybeId,
    List<List<int>> Matrix,
    Status? MaybeStatus);

/// <summary>Object-initializer construction: a class with settable properties and a field.</summary>
[AvroRecord]
public partial class Customer
{
    public string Name { get; set; } = string.Empty;

    public int Age { get; init; }

    public List<Address> Addresses { get; set; } = new();

    public string? Email;

    public Customer? Referrer { get; set; }

    public string Computed => Name + "!";
}

[AvroRecord]
public partial struct Measurement
{
    public long Timestamp { get; set; }

    public float Value { get; set; }
}

public static partial class Outer
{
    [AvroRecord]
    public partial record Inner(string Value);
}

[AvroRecord]
public partial record Marker();

[AvroRecord]
public partial record Markers(List<Marker> Items, Marker[] More, int Tail);
