using System.Globalization;
using System.Text;

namespace Kappa.Log;

/// <summary>
/// A topic's durable settings, stored as <c>{topic}.topic</c> in the log directory (UTF-8 text, one <c>key=value</c> per line,
/// '#' comments; keys follow Kafka's topic configuration names).
/// </summary>
public sealed record TopicConfig(int Partitions, bool Compacted = false)
{
    /// <summary>Delete whole segments whose newest record is older than this (null: forever). Must be positive.</summary>
    public TimeSpan? Retention
    {
        get;
        init => field = value is null || value > TimeSpan.Zero
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Retention), value, "TopicConfig.Retention must be positive, or null to keep records forever.");
    }

    /// <summary>Delete the oldest whole segments while the partition stays above this size (null: no limit). Must be positive.</summary>
    public long? RetentionBytes
    {
        get;
        init => field = value is null || value > 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(RetentionBytes), value, "TopicConfig.RetentionBytes must be positive, or null for no size limit.");
    }

    public const string FileExtension = ".topic";

    internal string Serialize()
    {
        var sb = new StringBuilder();
        sb.Append("# Kappa embedded log topic metadata\n");
        sb.Append("format.version=1\n");
        sb.Append(CultureInfo.InvariantCulture, $"partitions={Partitions}\n");
        sb.Append(CultureInfo.InvariantCulture, $"cleanup.policy={(Compacted ? "compact" : "delete")}\n");
        sb.Append(CultureInfo.InvariantCulture, $"retention.ms={(Retention is { } r ? Math.Max(1, (long)r.TotalMilliseconds) : -1)}\n");
        sb.Append(CultureInfo.InvariantCulture, $"retention.bytes={RetentionBytes ?? -1}\n");
        return sb.ToString();
    }

    internal static TopicConfig Parse(string text, string path)
    {
        int? partitions = null;
        bool compacted = false;
        long retentionMs = -1;
        long retentionBytes = -1;
        int lineNo = 0;
        foreach (string raw in text.Split('\n'))
        {
            lineNo++;
            string line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            int eq = line.IndexOf('=');
            if (eq <= 0)
            {
                throw Bad(path, lineNo, $"expected key=value, got '{line}'");
            }

            string key = line[..eq].Trim();
            string value = line[(eq + 1)..].Trim();
            switch (key)
            {
                case "format.version":
                    if (value != "1")
                    {
                        throw Bad(path, lineNo, $"format.version {value} is not supported (expected 1)");
                    }

                    break;
                case "partitions":
                    partitions = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int p) && p >= 1 ? p : throw Bad(path, lineNo, $"partitions '{value}' is not a positive integer");
                    break;
                case "cleanup.policy":
                    compacted = value switch
                    {
                        "compact" => true,
                        "delete" => false,
                        _ => throw Bad(path, lineNo, $"cleanup.policy '{value}' must be 'compact' or 'delete'"),
                    };
                    break;
                case "retention.ms":
                    retentionMs = ParseLong(value, path, lineNo, key);
                    break;
                case "retention.bytes":
                    retentionBytes = ParseLong(value, path, lineNo, key);
                    break;
                default:
                    throw Bad(path, lineNo, $"unknown key '{key}'");
            }
        }

        if (partitions is null)
        {
            throw Bad(path, 0, "the 'partitions' key is missing");
        }

        return new TopicConfig(partitions.Value, compacted)
        {
            Retention = retentionMs > 0 ? TimeSpan.FromMilliseconds(retentionMs) : null,
            RetentionBytes = retentionBytes > 0 ? retentionBytes : null,
        };
    }

    private static long ParseLong(string value, string path, int lineNo, string key) =>
        long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v) && v >= -1
            ? v
            : throw Bad(path, lineNo, $"{key} '{value}' is not an integer >= -1");

    private static InvalidDataException Bad(string path, int line, string why) =>
        new($"Topic metadata file '{path}'{(line > 0 ? $" line {line}" : string.Empty)}: {why}.");
}
