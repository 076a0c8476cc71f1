using Kappa.Generators.Common;

namespace Kappa.Generators.State.Model;

/// <summary>Everything the emitter needs for one state type: the declaration plus resolved field numbers and version.</summary>
public sealed record StateTypeSpec(
    StateDeclarationSpec Declaration,
    int SchemaVersion,
    string Schema,
    uint Fingerprint,
    EquatableArray<StateFieldSpec> Fields,
    EquatableArray<StateRetiredFieldSpec> Retired,
    StateLockTypeSpec LockEntry);
