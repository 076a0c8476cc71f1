namespace Kappa.Lifecycle;

/// <summary>A version as the registry knows it: its state, since when, what it owns and its last verification.</summary>
public sealed record VersionStatus
{
    public required int Version { get; init; }

    public required VersionState State { get; init; }

    public required DateTimeOffset Since { get; init; }

    public required VersionArtifacts Artifacts { get; init; }

    public VerificationResult? Verification { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public bool Verified => Verification is { Passed: true };
}
