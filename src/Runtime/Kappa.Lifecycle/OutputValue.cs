namespace Kappa.Lifecycle;

/// <summary>What an <see cref="IOutputValueReader"/> made of one value: a fingerprint, or the problem that kept it from being read.</summary>
internal readonly record struct OutputValue(string? Fingerprint, string? Problem)
{
    public static OutputValue Of(string fingerprint) => new(fingerprint, null);

    public static OutputValue Unreadable(string problem) => new(null, problem);
}
