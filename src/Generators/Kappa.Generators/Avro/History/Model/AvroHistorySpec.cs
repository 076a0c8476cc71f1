using Kappa.Generators.Common;

namespace Kappa.Generators.Avro.History.Model;

/// <summary>
/// The parsed kappa-avro-history.json of a project: every recorded schema of every [AvroRecord] type, or the reason the
/// file is unusable. <see cref="Present"/> is false when no history file is passed (the feature is off).
/// </summary>
public sealed record AvroHistorySpec(string? Path, EquatableArray<AvroHistoryTypeSpec> Types, string? Error)
{
    public static readonly AvroHistorySpec None = new(null, EquatableArray<AvroHistoryTypeSpec>.Empty, null);

    public bool Present => Path is not null;

    public AvroHistoryTypeSpec? Find(string type)
    {
        foreach (AvroHistoryTypeSpec entry in Types)
        {
            if (entry.Type == type)
            {
                return entry;
            }
        }

        return null;
    }
}

/// <summary>The recorded schemas of one type (full C# name without <c>global::</c>), oldest first.</summary>
public sealed record AvroHistoryTypeSpec(string Type, EquatableArray<AvroHistoryVersionSpec> Versions);

/// <summary>One recorded schema: its version number (1, 2, ...), CRC-64-AVRO fingerprint and the schema JSON (compact).</summary>
public sealed record AvroHistoryVersionSpec(int Version, long Fingerprint, string SchemaJson);
