namespace Kappa.Processing;

/// <summary>The result of a <see cref="DeterminismCheck"/>: checksums of both runs and the first difference, if any.</summary>
public sealed record DeterminismReport(
    string Processor,
    long Records,
    string FirstOutputChecksum,
    string SecondOutputChecksum,
    string FirstStateChecksum,
    string SecondStateChecksum,
    DeterminismDifference? FirstDifference)
{
    /// <summary>True when both runs produced the same outputs per key and the same final state per key.</summary>
    public bool IsDeterministic => FirstDifference is null;

    public override string ToString() => IsDeterministic
        ? $"{Processor}: deterministic over {Records} records (outputs {FirstOutputChecksum}, state {FirstStateChecksum})"
        : $"{Processor}: NOT deterministic over {Records} records; first difference: {FirstDifference}";
}
