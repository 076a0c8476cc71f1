using Kappa;

namespace Kappa.Runtime.Tests.Avro.History;

// The Avro kinds added with issue 13 under the schema history: fixed, uuid on fixed, duration, time-*, local-timestamp-*,
// unions of several records ([AvroUnion] and AvroUnion<...>), record and field aliases, and reader-only fields with
// defaults of every type. kappa-avro-history.json records V1.HistoryKinds' schema (below) as version 1 of HistoryKinds.

public enum KindsLevel
{
    Low,
    High,
}

[AvroUnion(typeof(KindsCard), typeof(KindsCash), typeof(KindsGift))]
public abstract partial record KindsPayment;

/// <summary>Version 1 had no Network: a reader-only field with a default inside a union branch.</summary>
[AvroRecord]
public partial record KindsCard(string Number, string Network = "visa") : KindsPayment;

[AvroRecord]
public partial record KindsCash(long Cents) : KindsPayment;

/// <summary>Called Voucher in version 1: matched through the record alias.</summary>
[AvroRecord]
[AvroAlias("Kappa.Runtime.Tests.Avro.History.Voucher")]
public partial record KindsGift(string Code) : KindsPayment;

[AvroRecord]
public partial record KindsPlace(string Street, string City = "Berlin");

[AvroRecord]
public partial record HistoryKinds(
    [AvroFixed(8)] byte[] Hash,
    [AvroFixed] Guid Id,
    AvroDuration Window,
    TimeOnly Opens,
    [AvroTimestamp(AvroTimestampPrecision.Micros)] TimeOnly Closes,
    [AvroTimestamp(Local = true)] DateTime LocalMillis,
    [AvroTimestamp(AvroTimestampPrecision.Micros, Local = true)] DateTime LocalMicros,
    KindsPayment Payment,
    KindsPayment? Refund,
    List<KindsPayment> History,
    AvroUnion<long, string> Value,
    AvroUnion<int, KindsCard>? Extra,
    [AvroAlias("Label")] string Title,
    [AvroFixed(4)] ReadOnlyMemory<byte> Tag,
    Dictionary<string, AvroUnion<double, KindsCash>> Amounts,
    [AvroDefault("{\"Street\": \"Main\"}")] KindsPlace Home = null!,
    [AvroDefault("[1, 2, 3]")] List<int> Counts = null!,
    [AvroDefault("{\"a\": 1.5, \"b\": -2}")] Dictionary<string, double> Weights = null!,
    [AvroDefault("\"\\u0000\\u00ff\"")] byte[] Salt = null!,
    [AvroFixed(4, Name = "Magic")] [AvroDefault("\"ab\\u00ffd\"")] byte[] Magic = null!,
    [AvroFixed(2, Name = "Short")] [AvroDefault("\"xy\"")] ReadOnlyMemory<byte> Short = default,
    KindsLevel Level = KindsLevel.High,
    [AvroDefault("{\"Number\": \"n/a\"}")] KindsPayment Fallback = null!,
    [AvroDefault("{\"Number\": \"tip\"}")] KindsPayment? Tip = null,
    [AvroDefault("[{\"Number\": \"old\"}]")] List<KindsPayment> Past = null!,
    [AvroDefault("7")] AvroUnion<long, string> Count = default,
    [AvroDefault("\"none\"")] AvroUnion<string, KindsCash> Note = default,
    [AvroDefault("{\"Cents\": 3}")] AvroUnion<KindsCash, string>? Change = null,
    string? Channel = "web",
    int? Age = 42,
    double Ratio = 0.5,
    [AvroDecimal(9, 2)] decimal Credit = -1.5m,
    [AvroDefault("1700000000000")] DateTimeOffset Since = default,
    [AvroDefault("1700000000000123")] [AvroTimestamp(AvroTimestampPrecision.Micros)] DateTime SinceMicros = default,
    [AvroDefault("19000")] DateOnly Day = default,
    [AvroDefault("\"00000000-0000-0000-0000-000000000001\"")] Guid Token = default,
    [AvroFixed(Name = "TokenFixed")] [AvroDefault("\"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\u0008\\u0009\\u000a\\u000b\\u000c\\u000d\\u000e\\u00ff\"")] Guid TokenFixed = default,
    [AvroDefault("\"\\u0001\\u0000\\u0000\\u0000\\u0002\\u0000\\u0000\\u0000\\u0003\\u0000\\u0000\\u0000\"")] AvroDuration Grace = default,
    [AvroDefault("3600000")] TimeOnly Noon = default,
    [AvroDefault("3600000001")] [AvroTimestamp(AvroTimestampPrecision.Micros)] TimeOnly NoonMicros = default,
    [AvroDefault("1700000000000")] [AvroTimestamp(Local = true)] DateTime LocalSince = default,
    [AvroDefault("1700000000000001")] [AvroTimestamp(AvroTimestampPrecision.Micros, Local = true)] DateTime LocalSinceMicros = default);

/// <summary>Version 1 of HistoryKinds and its branch types (same Avro full names, except Voucher).</summary>
public static partial class V1
{
    [AvroUnion(typeof(KindsCard), typeof(Voucher), typeof(KindsCash))]
    public abstract partial record KindsPayment;

    [AvroRecord]
    public partial record KindsCard(string Number) : KindsPayment;

    [AvroRecord]
    public partial record KindsCash(long Cents) : KindsPayment;

    [AvroRecord]
    public partial record Voucher(string Code) : KindsPayment;

    [AvroRecord]
    public partial record HistoryKinds(
        [AvroFixed(8)] byte[] Hash,
        [AvroFixed] Guid Id,
        AvroDuration Window,
        TimeOnly Opens,
        [AvroTimestamp(AvroTimestampPrecision.Micros)] TimeOnly Closes,
        [AvroTimestamp(Local = true)] DateTime LocalMillis,
        [AvroTimestamp(AvroTimestampPrecision.Micros, Local = true)] DateTime LocalMicros,
        KindsPayment Payment,
        KindsCash Refund,
        List<Voucher> History,
        int Value,
        AvroUnion<int, KindsCard>? Extra,
        string Label,
        [AvroFixed(4)] ReadOnlyMemory<byte> Tag,
        Dictionary<string, float> Amounts,
        [AvroFixed(3)] byte[] GoneFixed,
        AvroDuration GoneWindow,
        [AvroFixed] Guid GoneId,
        KindsPayment? GonePayment,
        AvroUnion<string, Voucher> GoneUnion);
}

/// <summary>Promotions into logical types: version 1 wrote plain ints, a string and bytes (V1.HistoryPromoted).</summary>
[AvroRecord]
public partial record HistoryPromoted(
    DateTimeOffset At,
    [AvroTimestamp(AvroTimestampPrecision.Micros)] TimeOnly Took,
    [AvroTimestamp(Local = true)] DateTime When,
    [AvroDecimal(9, 2)] decimal Amount,
    Guid Key,
    AvroUnion<string, DateTimeOffset> Either);

public static partial class V1
{
    [AvroRecord]
    public partial record HistoryPromoted(int At, int Took, int When, string Amount, byte[] Key, int Either);
}
