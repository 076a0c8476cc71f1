using Microsoft.CodeAnalysis;

namespace Kappa.Analyzers.Determinism;

/// <summary>A call from one method to another whose body is in the compilation.</summary>
internal readonly struct CallEdge
{
    public CallEdge(IMethodSymbol target, Location location)
    {
        Target = target;
        Location = location;
    }

    public IMethodSymbol Target { get; }

    public Location Location { get; }
}
