namespace Kappa.Runtime.Tests.Processing;

/// <summary>Struct in, struct out: the dispatcher allocates nothing per record.</summary>
[StreamProcessor("negate-units")]
public sealed partial class NegateUnits
{
    [Consume("units")]
    [Output("negated-units")]
    public OrderUnit Negate(OrderUnit unit, RecordContext ctx) => new() { Sequence = ctx.Offset, Sign = -unit.Sign };
}
