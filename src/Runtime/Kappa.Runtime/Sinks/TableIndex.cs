namespace Kappa.Sinks;

/// <summary>A secondary index over these column names (in order); unique when <see cref="Unique"/>.</summary>
public sealed record TableIndex(IReadOnlyList<string> Columns, bool Unique = false);
