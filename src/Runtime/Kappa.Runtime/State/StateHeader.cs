namespace Kappa.State;

/// <summary>The header of a serialized state value: format version, the writer's state schema version and fingerprint.</summary>
public readonly record struct StateHeader(byte FormatVersion, int SchemaVersion, uint SchemaFingerprint)
{
    /// <summary>The only binary format version this runtime writes and reads.</summary>
    public const byte CurrentFormatVersion = 1;
}
