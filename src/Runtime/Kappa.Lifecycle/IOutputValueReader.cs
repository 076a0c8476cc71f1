namespace Kappa.Lifecycle;

/// <summary>
/// How the key-by-key diff of <see cref="OutputComparer"/> reads one value of an output topic: its fingerprint (equal
/// fingerprints mean equal values) or why it cannot be read, and a readable rendering for the diff's samples.
/// </summary>
internal interface IOutputValueReader
{
    /// <summary>True when <see cref="Show"/> renders values (the diff then shows changed values next to their keys).</summary>
    bool ShowsValues { get; }

    /// <summary>The fingerprint of what <paramref name="value"/> means, or the problem that keeps it from being read.</summary>
    OutputValue Read(ReadOnlySpan<byte> value);

    /// <summary><paramref name="value"/> as text for a sample (null when this reader does not render values, or cannot read it).</summary>
    string? Show(ReadOnlySpan<byte> value);
}
