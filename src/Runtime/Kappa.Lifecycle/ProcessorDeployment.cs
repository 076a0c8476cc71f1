namespace Kappa.Lifecycle;

/// <summary>One processor's versions and the history of its accepted transitions, folded from the registry.</summary>
public sealed record ProcessorDeployment
{
    public required string Processor { get; init; }

    /// <summary>The sequence of the last accepted transition; a change must name it to be accepted.</summary>
    public required long Sequence { get; init; }

    public required IReadOnlyList<VersionStatus> Versions { get; init; }

    public required IReadOnlyList<DeploymentTransition> History { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public VersionStatus? Serving => Versions.FirstOrDefault(v => v.State == VersionState.Serving);

    public VersionStatus? Find(int version) => Versions.FirstOrDefault(v => v.Version == version);

    /// <summary>The version rollback would return to: the most recently moved Standby version.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public VersionStatus? Standby => Versions.Where(v => v.State == VersionState.Standby).OrderByDescending(v => v.Since).ThenByDescending(v => v.Version).FirstOrDefault();
}
