namespace Kappa.Analyzers.Determinism;

/// <summary>A member of <see cref="RuntimeEnvironmentCatalog"/>: the rule that reports it (null when accepted) and why.</summary>
internal sealed class RuntimeMember
{
    public RuntimeMember(string? rule, string reason)
    {
        Rule = rule;
        Reason = reason;
    }

    public string? Rule { get; }

    public string Reason { get; }
}
