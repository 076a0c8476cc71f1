namespace Kappa.Processing;

/// <summary>
/// The first key whose outputs or final state differ between the two runs of a <see cref="DeterminismCheck"/>:
/// <see cref="Topic"/> is an output topic (outputs; the dead-letter topic for records either run rejected) or a
/// changelog topic (final state). A checksum is empty when that run has nothing for the key.
/// </summary>
public sealed record DeterminismDifference(string Topic, byte[] Key, string FirstChecksum, string SecondChecksum)
{
    /// <summary>The key as UTF-8 text when it is printable, else hex.</summary>
    public string KeyText => DeterminismCheck.Describe(Key);

    public override string ToString() =>
        $"{Topic} key '{KeyText}': first run {(FirstChecksum.Length == 0 ? "(none)" : FirstChecksum)}, second run {(SecondChecksum.Length == 0 ? "(none)" : SecondChecksum)}";
}
