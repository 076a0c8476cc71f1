namespace Kappa;

/// <summary>
/// Vouches that a member is deterministic: the determinism analyzers trust it and do not look inside it or report calls to it.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Property | AttributeTargets.Constructor | AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = false)]
public sealed class DeterministicAttribute : Attribute
{
    public DeterministicAttribute()
    {
    }

    /// <param name="justification">Why the member is safe under replay.</param>
    public DeterministicAttribute(string justification)
    {
        Justification = justification;
    }

    public string? Justification { get; }
}
