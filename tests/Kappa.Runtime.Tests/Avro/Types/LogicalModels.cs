using Kappa;

namespace Kappa.Runtime.Tests.Avro.Types;

/// <summary>A payment: an Avro union of its three record branches, in this order.</summary>
[AvroUnion(typeof(Card), typeof(Cash), typeof(GiftCard))]
public abstract partial record Payment;

[AvroRecord(Namespace = "kappa.types")]
public partial record Card(string Number) : Payment;

[AvroRecord(Namespace = "kappa.types")]
public partial record Cash(long Cents) : Payment;

/// <summary>Derives from another branch: encoded as itself, never as a <see cref="Card"/>.</summary>
[AvroRecord(Namespace = "kappa.types")]
public partial record GiftCard(string Code, long Cents) : Card(Code);

/// <summary>A payment type outside the union (encoding it is an error).</summary>
public sealed record Voucher() : Payment;

/// <summary>Every type added with issue 13: fixed, uuid on fixed, duration, time, local timestamps and unions.</summary>
[AvroRecord(Namespace = "kappa.types")]
public partial record Shipment(
    [AvroFixed(32, Name = "Sha256", Namespace = "kappa.hash")] byte[] Hash,
    [AvroFixed(4)] ReadOnlyMemory<byte> Tag,
    [AvroFixed] Guid Id,
    Guid TextId,
    AvroDuration Window,
    [AvroFixed(Name = "Grace")] AvroDuration? Grace,
    TimeOnly Opens,
    [AvroTimestamp(AvroTimestampPrecision.Micros)] TimeOnly Closes,
    [AvroTimestamp(Local = true)] DateTime LocalMillis,
    [AvroTimestamp(AvroTimestampPrecision.Micros, Local = true)] DateTime LocalMicros,
    Payment Payment,
    Payment? Refund,
    List<Payment> History,
    [AvroFixed(32, Name = "Sha256", Namespace = "kappa.hash")] byte[]? Previous,
    [AvroDefault("{\"Number\": \"n/a\"}")] Payment Fallback = null!,
    [AvroDefault("{\"Number\": \"tip\"}")] Payment? Tip = null);

/// <summary>A record with a union member, for resolution tests: v1 of its schema had only the Card and Cash branches.</summary>
[AvroRecord(Namespace = "kappa.types")]
public partial record Checkout(string Id, Payment Payment);

/// <summary>AvroUnion&lt;...&gt; members: unions of any branch types (primitives, records, collections).</summary>
[AvroRecord(Namespace = "kappa.types")]
public partial record Reading(
    AvroUnion<int, string> Value,
    AvroUnion<long, Card, List<string>>? Extra,
    Dictionary<string, AvroUnion<double, bool>> Flags,
    [AvroDefault("\"none\"")] AvroUnion<string, Cash> Note = default);
