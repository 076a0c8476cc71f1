namespace Kappa.Testing;

/// <summary>One key whose outputs differ between two versions: what each produced for it, in order.</summary>
public sealed record KeyOutputDifference<TOut>(byte[]? Key, IReadOnlyList<TOut> Before, IReadOnlyList<TOut> After)
{
    /// <summary>The key as UTF-8 text, or "(null)".</summary>
    public string KeyText => Key is null ? "(null)" : System.Text.Encoding.UTF8.GetString(Key);

    public override string ToString() => $"key '{KeyText}': {Before.Count} output(s) before, {After.Count} after";
}
