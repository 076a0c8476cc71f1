using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Kappa.Analyzers.Determinism;

/// <summary>The values stored into a local, field or auto-property; <see cref="Complete"/> when every store is visible.</summary>
internal sealed class StorageValues
{
    public static StorageValues Incomplete { get; } = new(ImmutableArray<IOperation>.Empty, complete: false);

    public StorageValues(ImmutableArray<IOperation> values, bool complete)
    {
        Values = values;
        Complete = complete;
    }

    public ImmutableArray<IOperation> Values { get; }

    /// <summary>False when the storage can also be written where the analysis does not look (out/ref, outside its type, deconstruction).</summary>
    public bool Complete { get; }

    public static StorageValues From(List<IOperation> values, bool complete) => new(values.ToImmutableArray(), complete);
}
