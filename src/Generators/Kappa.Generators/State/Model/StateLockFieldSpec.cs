namespace Kappa.Generators.State.Model;

/// <summary>A field recorded in the lock file: number, name and canonical type.</summary>
public sealed record StateLockFieldSpec(int Number, string Name, string Type);
