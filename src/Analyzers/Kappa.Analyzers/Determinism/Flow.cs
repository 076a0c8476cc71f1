namespace Kappa.Analyzers.Determinism;

/// <summary>Where the order of a sequence goes, as seen from the operation that consumes it.</summary>
internal enum Flow
{
    /// <summary>The value is not iterated here (a lookup, Count, a call taking the collection type itself).</summary>
    NotIteration,

    /// <summary>The consumer cannot be classified (e.g. the sequence is stored in a variable).</summary>
    Unknown,

    /// <summary>The order is re-established (OrderBy, Order, a sorted collection).</summary>
    Restored,

    /// <summary>The consumer does not depend on the order (Count, Any, Contains, Min, Max, integer Sum, ToHashSet, ToDictionary).</summary>
    Insensitive,

    /// <summary>Floating-point Sum/Average: the order changes the rounding.</summary>
    FloatAccumulate,

    /// <summary>The order reaches something that keeps it (foreach, ToList, ToArray, string.Join, First, Aggregate, a list).</summary>
    Reaches,
}
