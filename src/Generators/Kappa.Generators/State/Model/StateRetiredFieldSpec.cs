namespace Kappa.Generators.State.Model;

/// <summary>
/// A field number that old state may still contain: a removed or retyped field. With a migration its old value is
/// decoded (as <see cref="MigrationType"/>) and handed to <see cref="MigrationMethod"/>; without one it is skipped.
/// </summary>
public sealed record StateRetiredFieldSpec(int Number, string Name, string Canonical, string? MigrationMethod, StateValueSpec? MigrationType);
