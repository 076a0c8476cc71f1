using Kappa.State;

namespace Kappa.Runtime.Tests.Processing;

/// <summary>Per-key struct state of <see cref="TotalUnits"/>: a count and a running sum.</summary>
[ProcessorState]
public partial struct UnitTotals
{
    public long Count;
    public long Sum;
}
