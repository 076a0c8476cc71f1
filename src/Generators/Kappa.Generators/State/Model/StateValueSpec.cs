using Kappa.Generators.Common;

namespace Kappa.Generators.State.Model;

/// <summary>
/// A field or element type of a state: its kind, the C# type (fully qualified, with nullable annotations), the
/// canonical name recorded in the lock file, and the element (lists, arrays, dictionary values, Nullable, enum underlying).
/// </summary>
public sealed record StateValueSpec(StateValueKind Kind, TypeRef Type, string Canonical, bool IsReferenceType, StateValueSpec? Element)
{
    /// <summary>Whether a value of this type can be null (reference types and Nullable&lt;T&gt;).</summary>
    public bool CanBeNull => IsReferenceType || Kind == StateValueKind.Nullable;

    /// <summary>The type whose payload is written (Nullable unwrapped).</summary>
    public StateValueSpec Payload => Kind == StateValueKind.Nullable ? Element! : this;
}
