using Kappa.Avro.Registry;

namespace Kappa.Lifecycle.Tests.Model;

/// <summary>What version 1 of <c>framed-amounts</c> writes: the last sale of each customer.</summary>
[AvroRecord(Namespace = "kappa.lifecycle.framed", Name = "Amount")]
public partial record FramedAmount(string Customer, long Amount);

/// <summary>
/// What versions 2 and 3 write: another schema (another name, the fields in another order, and an optional note), so
/// it is registered with its own schema id. Version 2 leaves the note out: its values mean what v1's do.
/// </summary>
[AvroRecord(Namespace = "kappa.lifecycle.framed.v2", Name = "Amount")]
public partial record FramedAmountWithNote(long Amount, string Customer, string? Note = null);

/// <summary>Version 1: amounts as they are, written Confluent-framed.</summary>
[StreamProcessor(Name, Version = 1)]
public sealed partial class FramedAmountsV1
{
    public const string Name = "framed-amounts";

    public const string Sink = "framed-customer-amounts";

    [Consume("sales")]
    [Output(Sink, Format = ValueFormat.ConfluentAvro)]
    public FramedAmount Handle(Sale sale) => new(sale.Customer, sale.Amount);
}

/// <summary>Version 2: the same values as v1 under a new schema (a new schema id in every frame).</summary>
[StreamProcessor(FramedAmountsV1.Name, Version = 2)]
public sealed partial class FramedAmountsV2
{
    [Consume("sales")]
    [Output(FramedAmountsV1.Sink, Format = ValueFormat.ConfluentAvro)]
    public FramedAmountWithNote Handle(Sale sale) => new(sale.Amount, sale.Customer);
}

/// <summary>Version 3: amounts in cents, with a note: every value differs from v1's.</summary>
[StreamProcessor(FramedAmountsV1.Name, Version = 3)]
public sealed partial class FramedAmountsV3
{
    [Consume("sales")]
    [Output(FramedAmountsV1.Sink, Format = ValueFormat.ConfluentAvro, SubjectNameStrategy = SubjectNameStrategy.Record)]
    public FramedAmountWithNote Handle(Sale sale) => new(sale.Amount * 100, sale.Customer, "cents");
}
