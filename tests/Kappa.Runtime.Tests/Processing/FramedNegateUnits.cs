namespace Kappa.Runtime.Tests.Processing;

/// <summary>Struct in, struct out, both Confluent-framed: after warm-up the dispatcher allocates nothing per record.</summary>
[StreamProcessor("framed-negate-units")]
public sealed partial class FramedNegateUnits
{
    [Consume("framed-units", Format = ValueFormat.ConfluentAvro)]
    [Output("framed-negated-units", Format = ValueFormat.ConfluentAvro)]
    public OrderUnit Negate(OrderUnit unit, RecordContext ctx) => new() { Sequence = ctx.Offset, Sign = -unit.Sign };
}
