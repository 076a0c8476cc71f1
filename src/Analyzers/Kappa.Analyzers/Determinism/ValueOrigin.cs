using Microsoft.CodeAnalysis;

namespace Kappa.Analyzers.Determinism;

/// <summary>What a value held behind an interface (IEnumerable&lt;T&gt;, IDictionary&lt;K,V&gt;, ...) was created as.</summary>
internal readonly struct ValueOrigin
{
    private ValueOrigin(OriginKind kind, ITypeSymbol? unorderedType)
    {
        Kind = kind;
        UnorderedType = unorderedType;
    }

    public static ValueOrigin Ordered { get; } = new(OriginKind.Ordered, null);

    public static ValueOrigin Unknown { get; } = new(OriginKind.Unknown, null);

    public OriginKind Kind { get; }

    /// <summary>The hash collection the value can be, when <see cref="Kind"/> is <see cref="OriginKind.Unordered"/>.</summary>
    public ITypeSymbol? UnorderedType { get; }

    public static ValueOrigin Unordered(ITypeSymbol type) => new(OriginKind.Unordered, type);

    /// <summary>The origin of a value that can come from either: unordered wins, then unknown.</summary>
    public ValueOrigin Or(ValueOrigin other) =>
        Kind == OriginKind.Unordered ? this
        : other.Kind == OriginKind.Unordered ? other
        : Kind == OriginKind.Unknown || other.Kind == OriginKind.Unknown ? Unknown
        : Ordered;
}

internal enum OriginKind
{
    /// <summary>Every value it can hold was created as an ordered collection (list, array, sorted collection, ...).</summary>
    Ordered,

    /// <summary>At least one value it can hold was created as a hash collection.</summary>
    Unordered,

    /// <summary>Some value comes from outside what the analysis follows (a parameter, another type, a call).</summary>
    Unknown,
}
