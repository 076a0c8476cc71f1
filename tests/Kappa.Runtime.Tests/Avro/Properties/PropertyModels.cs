using Kappa;

namespace Kappa.Runtime.Tests.Avro.Properties;

// Reader types of the resolution property tests ("today's code"): together they cover every member type the generator
// supports (primitives, enums, nullables, nested and recursive records, structs, arrays, lists, maps, decimals,
// timestamps, dates, uuids, and PropModern's fixed, uuid on fixed, duration, time, local timestamps and unions). The tests evolve writer schemas from these types' schemas at random.

public enum PropColor
{
    Red,
    Green,
    Blue,
    Black,
}

[AvroRecord(Namespace = "kappa.props")]
public partial record PropInner(int Count, string Label, double? Weight);

[AvroRecord(Namespace = "kappa.props")]
public partial record struct PropPoint(float X, long Y);

[AvroRecord(Namespace = "kappa.props")]
public partial record PropScalars(
    bool Flag,
    int Int,
    long Long,
    float Float,
    double Double,
    string Text,
    byte[] Bytes,
    ReadOnlyMemory<byte> Memory,
    PropColor Color);

[AvroRecord(Namespace = "kappa.props")]
public partial record PropOptionals(
    bool? MaybeFlag,
    int? MaybeInt,
    long? MaybeLong,
    float? MaybeFloat,
    double? MaybeDouble,
    string? MaybeText,
    byte[]? MaybeBytes,
    PropColor? MaybeColor,
    PropInner? MaybeInner,
    PropPoint? MaybePoint);

[AvroRecord(Namespace = "kappa.props")]
public partial record PropCollections(
    List<int> Ints,
    long[] Longs,
    IReadOnlyList<string> Texts,
    List<PropInner> Inners,
    Dictionary<string, double> Doubles,
    IReadOnlyDictionary<string, string?> MaybeTexts,
    List<List<float>> Matrix,
    Dictionary<string, PropInner?> InnerMap,
    List<PropColor> Colors,
    List<int?> MaybeInts);

[AvroRecord(Namespace = "kappa.props")]
public partial record PropLogical(
    [AvroDecimal(18, 2)] decimal Price,
    [AvroDecimal(28, 10)] decimal? MaybePrecise,
    DateTimeOffset AtMillis,
    [AvroTimestamp(AvroTimestampPrecision.Micros)] DateTime AtMicros,
    DateTimeOffset? MaybeAt,
    DateOnly Day,
    Guid Id,
    Guid? MaybeId,
    List<DateOnly> Days);

/// <summary>Nested records several levels deep, a struct, and the other reader types as members.</summary>
[AvroRecord(Namespace = "kappa.props")]
public partial record PropNested(
    string Name,
    PropInner Inner,
    PropPoint Point,
    PropScalars Scalars,
    PropOptionals? Optionals,
    List<PropInner> More,
    long Tail);

/// <summary>A recursive record (the plan is a graph). Its history holds random writer schemas (GeneratedDecoderPropertyTests), hence mode None.</summary>
[AvroRecord(Namespace = "kappa.props", Compatibility = Kappa.Avro.Schemas.AvroCompatibilityMode.None)]
public partial record PropTree(int Value, PropTree? Left, List<PropTree> Children, string? Label);

/// <summary>Object-initializer construction: properties and a field.</summary>
[AvroRecord(Namespace = "kappa.props")]
public partial class PropSettable
{
    public string Name { get; set; } = string.Empty;

    public long Version { get; init; }

    public Dictionary<string, PropColor> Colors { get; set; } = new();

    public double? Score;
}

/// <summary>A union of two records ([AvroUnion]), for <see cref="PropModern"/>.</summary>
[AvroUnion(typeof(PropCircle), typeof(PropSquare))]
public abstract partial record PropShape;

[AvroRecord(Namespace = "kappa.props")]
public partial record PropCircle(double Radius) : PropShape;

[AvroRecord(Namespace = "kappa.props")]
public partial record PropSquare(int Side, string? Label) : PropShape;

/// <summary>
/// The kinds added with issue 13: fixed, uuid on fixed, duration, time, local timestamps, unions of several branches.
/// Its history holds random writer schemas (GeneratedDecoderPropertyTests), hence mode None.
/// </summary>
[AvroRecord(Namespace = "kappa.props", Compatibility = Kappa.Avro.Schemas.AvroCompatibilityMode.None)]
public partial record PropModern(
    [AvroFixed(6, Name = "PropHash")] byte[] Hash,
    [AvroFixed(Name = "PropUuid")] Guid FixedId,
    AvroDuration Window,
    TimeOnly Opens,
    [AvroTimestamp(AvroTimestampPrecision.Micros)] TimeOnly Closes,
    [AvroTimestamp(Local = true)] DateTime LocalMillis,
    [AvroTimestamp(AvroTimestampPrecision.Micros, Local = true)] DateTime LocalMicros,
    PropShape Shape,
    PropShape? MaybeShape,
    AvroUnion<int, string> Either,
    AvroUnion<long, PropInner, List<string>>? Extra,
    List<PropShape> Shapes,
    [AvroFixed(3, Name = "PropTag")] ReadOnlyMemory<byte> Tag);
