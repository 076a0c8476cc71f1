namespace Kappa.Runtime.Tests.Processing;

/// <summary>
/// A stateful processor with struct state and struct records: for each key, counts units and sums their signs, and
/// outputs the running totals (Sequence = count, Sign = sum). The stateful path allocates nothing per record.
/// </summary>
[StreamProcessor("total-units")]
public sealed partial class TotalUnits
{
    [Consume("units")]
    [Output("unit-totals")]
    public OrderUnit Add(OrderUnit unit, ref UnitTotals totals)
    {
        totals.Count++;
        totals.Sum += unit.Sign;
        return new OrderUnit { Sequence = totals.Count, Sign = totals.Sum };
    }
}
