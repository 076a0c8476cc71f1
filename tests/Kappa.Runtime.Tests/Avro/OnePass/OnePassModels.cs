using Kappa;

namespace Kappa.Runtime.Tests.Avro.OnePass;

// Reader types for the one-pass run-time plan tests (OnePassResolutionTests): every kind the plan resolves.

public enum OnePassColor
{
    Red,
    Green,
    Blue,
}

/// <summary>Every promotion, at the top and inside arrays, maps, unions and logical types.</summary>
[AvroRecord(Namespace = "kappa.onepass")]
public partial record OnePassNumbers(
    long FromInt,
    float FloatFromLong,
    double DoubleFromInt,
    double DoubleFromLong,
    double DoubleFromFloat,
    byte[] BytesFromString,
    string StringFromBytes,
    List<double> Doubles,
    Dictionary<string, long> Longs,
    DateTimeOffset At,
    [AvroTimestamp(AvroTimestampPrecision.Micros)] TimeOnly Closes,
    long?[] MaybeLongs);

[AvroUnion(typeof(OnePassCircle), typeof(OnePassSquare))]
public abstract partial record OnePassShape;

[AvroRecord(Namespace = "kappa.onepass")]
public partial record OnePassCircle(double Radius) : OnePassShape;

[AvroRecord(Namespace = "kappa.onepass")]
public partial record OnePassSquare(int Side, string Label = "sq") : OnePassShape;

/// <summary>Enums, unions on either side, fixed and logical types, a map of union values.</summary>
[AvroRecord(Namespace = "kappa.onepass")]
public partial record OnePassMixed(
    OnePassColor Color,
    OnePassShape Shape,
    OnePassShape? MaybeShape,
    AvroUnion<long, string>? Either,
    string? Note,
    int Count,
    [AvroFixed(4)] byte[] Tag,
    [AvroFixed] Guid Id,
    AvroDuration Window,
    [AvroDecimal(9, 2)] decimal Price,
    DateOnly Day,
    TimeOnly Opens,
    Dictionary<string, OnePassShape> ByName);

/// <summary>A recursive record: the plan is a graph.</summary>
[AvroRecord(Namespace = "kappa.onepass")]
public partial record OnePassNode(int Value, OnePassNode? Next, List<OnePassNode> Children, string Label = "node");

/// <summary>A small record for error offsets.</summary>
[AvroRecord(Namespace = "kappa.onepass")]
public partial record OnePassStrict(string Name, int Count, OnePassColor Color);
