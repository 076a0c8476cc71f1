using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace Kappa.Analyzers.Determinism;

/// <summary>What the catalog says about the members of one type.</summary>
internal sealed class TypeRule
{
    public TypeRule(DiagnosticDescriptor? allMembers, bool includeDerived)
    {
        AllMembers = allMembers;
        IncludeDerived = includeDerived;
    }

    /// <summary>The rule every member (and constructor) of the type falls under, unless <see cref="Members"/> says otherwise.</summary>
    public DiagnosticDescriptor? AllMembers { get; set; }

    /// <summary>Whether members reached through a derived type are matched too.</summary>
    public bool IncludeDerived { get; set; }

    /// <summary>Per member name (".ctor" for constructors); a null value exempts the member from <see cref="AllMembers"/>.</summary>
    public Dictionary<string, DiagnosticDescriptor?> Members { get; } = new();

    public bool TryMatch(string memberName, out DiagnosticDescriptor? descriptor)
    {
        if (Members.TryGetValue(memberName, out descriptor))
        {
            return descriptor is not null;
        }

        descriptor = AllMembers;
        return descriptor is not null;
    }
}
