using System.Collections.Immutable;

namespace Kappa.Analyzers.Determinism;

/// <summary>
/// Everything the rules need to know about one method, computed once per compilation and shared by every rule and every
/// handler that reaches the method: the offending constructs found in its body and the methods it calls.
/// </summary>
internal sealed class MethodSummary
{
    public static readonly MethodSummary Empty = new(ImmutableArray<Finding>.Empty, ImmutableArray<CallEdge>.Empty);

    public MethodSummary(ImmutableArray<Finding> findings, ImmutableArray<CallEdge> calls)
    {
        Findings = findings;
        Calls = calls;
    }

    public ImmutableArray<Finding> Findings { get; }

    public ImmutableArray<CallEdge> Calls { get; }
}
