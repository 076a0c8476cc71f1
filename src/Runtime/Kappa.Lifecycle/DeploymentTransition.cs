namespace Kappa.Lifecycle;

/// <summary>
/// One accepted change of a processor's deployment, as the registry records it: which versions moved to which state
/// (a promote moves two at once), when, on which instance, why, and by which operation.
/// </summary>
public sealed record DeploymentTransition
{
    public required string Processor { get; init; }

    /// <summary>The processor's registry sequence after this transition (1 for its first).</summary>
    public required long Sequence { get; init; }

    /// <summary>deploy, caught-up, verify, promote, rollback, retire, fail.</summary>
    public required string Operation { get; init; }

    public required IReadOnlyList<VersionChange> Changes { get; init; }

    public required DateTimeOffset Time { get; init; }

    /// <summary>The host or tool instance that made the change (<c>{machine}/{process id}</c> by default).</summary>
    public required string Instance { get; init; }

    public required string Reason { get; init; }

    /// <summary>Set for deploy: what the version owns.</summary>
    public VersionArtifacts? Artifacts { get; init; }

    /// <summary>Set for verify: the result recorded for the version.</summary>
    public VerificationResult? Verification { get; init; }
}
