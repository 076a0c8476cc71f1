using Microsoft.CodeAnalysis;

namespace Kappa.Analyzers.Determinism;

/// <summary>One offending construct found directly in a method body.</summary>
internal sealed class Finding
{
    public Finding(DiagnosticDescriptor descriptor, Location location, string member, string detail)
    {
        Descriptor = descriptor;
        Location = location;
        Member = member;
        Detail = detail;
    }

    public DiagnosticDescriptor Descriptor { get; }

    public Location Location { get; }

    /// <summary>What is offending, as shown in the message and at the end of the call chain (e.g. "DateTime.UtcNow").</summary>
    public string Member { get; }

    /// <summary>Extra text for the message, empty or starting with "; " (KAPPA190: the reason the call cannot be followed).</summary>
    public string Detail { get; }
}
