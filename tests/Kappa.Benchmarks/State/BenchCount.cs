namespace Kappa.Benchmarks.State;

/// <summary>Struct state of <see cref="BenchCountUnits"/>.</summary>
[ProcessorState]
public partial struct BenchCount
{
    public long Count;
    public long Sum;
}
