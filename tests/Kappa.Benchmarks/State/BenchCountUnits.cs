namespace Kappa.Benchmarks.State;

/// <summary>A state-only processor: per key, counts units and sums their amounts (what a state rebuild replays).</summary>
[StreamProcessor("bench-count-units")]
public sealed partial class BenchCountUnits
{
    [Consume("bench-units")]
    public void Add(BenchUnit unit, ref BenchCount count)
    {
        count.Count++;
        count.Sum += unit.Amount;
    }
}
