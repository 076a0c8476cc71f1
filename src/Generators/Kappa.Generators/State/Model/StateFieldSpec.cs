namespace Kappa.Generators.State.Model;

/// <summary>One serialized member of a state type, with its stable field number.</summary>
public sealed record StateFieldSpec(int Number, string Name, StateValueSpec Type);
