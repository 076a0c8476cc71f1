namespace Kappa.Lifecycle;

/// <summary>One version's move to a state, part of a <see cref="DeploymentTransition"/>.</summary>
/// <param name="Version">The processor version.</param>
/// <param name="State">The state it moves to.</param>
public sealed record VersionChange(int Version, VersionState State);
