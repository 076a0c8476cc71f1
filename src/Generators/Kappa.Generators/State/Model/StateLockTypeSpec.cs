using Kappa.Generators.Common;

namespace Kappa.Generators.State.Model;

/// <summary>One state type in the lock file: its schema version, current fields and retired fields.</summary>
public sealed record StateLockTypeSpec(string Type, int SchemaVersion, EquatableArray<StateLockFieldSpec> Fields, EquatableArray<StateLockFieldSpec> Retired);
