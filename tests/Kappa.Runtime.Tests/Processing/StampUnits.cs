namespace Kappa.Runtime.Tests.Processing;

/// <summary>
/// A deliberately non-deterministic stateful processor: it stamps each output with a process-wide counter, which a
/// second run over the same log continues instead of repeating. Only key "k2" is affected; others are deterministic.
/// </summary>
[StreamProcessor("stamp-units")]
public sealed partial class StampUnits
{
    private static long _stamp;

    [Consume("units")]
    [Output("stamped-units")]
    public OrderUnit Stamp(OrderUnit unit, ref UnitTotals seen, RecordContext ctx)
    {
        seen.Count++;
        bool unstable = ctx.Key.SequenceEqual("k2"u8);
        if (unstable)
        {
            seen.Sum = Interlocked.Increment(ref _stamp);
        }

        return new OrderUnit { Sequence = seen.Count, Sign = unstable ? seen.Sum : unit.Sign };
    }
}
