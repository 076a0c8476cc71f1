using Kappa.Generators.Common;

namespace Kappa.Generators.State.Model;

/// <summary>The parsed kappa-state.lock.json (or none): the recorded shape of every state type.</summary>
public sealed record StateLockSpec(string? Path, EquatableArray<StateLockTypeSpec> Types, string? Error)
{
    public static StateLockSpec None { get; } = new(null, EquatableArray<StateLockTypeSpec>.Empty, null);
}
