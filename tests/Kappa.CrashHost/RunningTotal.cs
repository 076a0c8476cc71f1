namespace Kappa.CrashHost;

/// <summary>The per-key state of <see cref="CrashTotals"/>.</summary>
[ProcessorState]
public partial struct RunningTotal
{
    public long Total;
}
