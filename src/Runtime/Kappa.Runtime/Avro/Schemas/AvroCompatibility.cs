namespace Kappa.Avro.Schemas;

/// <summary>Schema Registry compatibility modes (Confluent's names). TRANSITIVE modes check every earlier version, the others only the latest.</summary>
public enum AvroCompatibilityMode
{
    None,
    Backward,
    BackwardTransitive,
    Forward,
    ForwardTransitive,
    Full,
    FullTransitive,
}

/// <summary>Why a reader cannot read everything a writer may write: the path in the reader schema (e.g. <c>/fields/2/type</c>) and the reason.</summary>
public sealed record AvroIncompatibility(string Path, string Reason)
{
    public override string ToString() => $"{Path}: {Reason}";
}

/// <summary>One failed check of a compatibility run: which earlier version, which direction, and the incompatibilities.</summary>
public sealed record AvroCompatibilityViolation(int VersionIndex, bool NewSchemaIsReader, IReadOnlyList<AvroIncompatibility> Incompatibilities)
{
    public override string ToString() =>
        $"{(NewSchemaIsReader ? "the new schema cannot read data written with" : "data written with the new schema cannot be read by")} version {VersionIndex + 1}: {string.Join("; ", Incompatibilities)}";
}

/// <summary>
/// Avro schema compatibility, as the spec's resolution rules decide it: a reader is compatible with a writer when it can
/// read every datum the writer can write (every writer union branch, every writer enum symbol unless the reader enum has
/// a default, every reader field present in the writer or defaulted, promotions allowed). Agrees with Apache Avro's
/// <c>ReaderWriterCompatibilityChecker</c> (cross-checked against python3-avro's in the tests).
/// </summary>
public static class AvroCompatibility
{
    /// <summary>The incompatibilities of reading <paramref name="writer"/> data with <paramref name="reader"/> (empty: compatible).</summary>
    public static IReadOnlyList<AvroIncompatibility> CanRead(AvroSchema reader, AvroSchema writer)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(writer);
        var checker = new Checker();
        var found = new List<AvroIncompatibility>();
        checker.Check(reader, writer, "", found);
        return found;
    }

    /// <summary>
    /// Checks <paramref name="candidate"/> against the earlier versions (oldest first) under <paramref name="mode"/>;
    /// returns the violations (empty: the candidate may be registered).
    /// </summary>
    public static IReadOnlyList<AvroCompatibilityViolation> Check(AvroSchema candidate, IReadOnlyList<AvroSchema> earlierVersions, AvroCompatibilityMode mode)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(earlierVersions);
        var violations = new List<AvroCompatibilityViolation>();
        if (mode == AvroCompatibilityMode.None || earlierVersions.Count == 0)
        {
            return violations;
        }

        bool transitive = mode is AvroCompatibilityMode.BackwardTransitive or AvroCompatibilityMode.ForwardTransitive or AvroCompatibilityMode.FullTransitive;
        bool backward = mode is AvroCompatibilityMode.Backward or AvroCompatibilityMode.BackwardTransitive or AvroCompatibilityMode.Full or AvroCompatibilityMode.FullTransitive;
        bool forward = mode is AvroCompatibilityMode.Forward or AvroCompatibilityMode.ForwardTransitive or AvroCompatibilityMode.Full or AvroCompatibilityMode.FullTransitive;
        for (int i = transitive ? 0 : earlierVersions.Count - 1; i < earlierVersions.Count; i++)
        {
            if (backward && CanRead(candidate, earlierVersions[i]) is { Count: > 0 } readErrors)
            {
                violations.Add(new AvroCompatibilityViolation(i, NewSchemaIsReader: true, readErrors));
            }

            if (forward && CanRead(earlierVersions[i], candidate) is { Count: > 0 } writeErrors)
            {
                violations.Add(new AvroCompatibilityViolation(i, NewSchemaIsReader: false, writeErrors));
            }
        }

        return violations;
    }

    /// <summary>Parses Confluent's mode names (<c>BACKWARD_TRANSITIVE</c>, ...); null for unknown names.</summary>
    public static AvroCompatibilityMode? ParseMode(string name) => name.ToUpperInvariant() switch
    {
        "NONE" => AvroCompatibilityMode.None,
        "BACKWARD" => AvroCompatibilityMode.Backward,
        "BACKWARD_TRANSITIVE" => AvroCompatibilityMode.BackwardTransitive,
        "FORWARD" => AvroCompatibilityMode.Forward,
        "FORWARD_TRANSITIVE" => AvroCompatibilityMode.ForwardTransitive,
        "FULL" => AvroCompatibilityMode.Full,
        "FULL_TRANSITIVE" => AvroCompatibilityMode.FullTransitive,
        _ => null,
    };

    /// <summary>Confluent's name of a mode (<c>BACKWARD_TRANSITIVE</c>, ...).</summary>
    public static string ModeName(AvroCompatibilityMode mode) => mode switch
    {
        AvroCompatibilityMode.None => "NONE",
        AvroCompatibilityMode.Backward => "BACKWARD",
        AvroCompatibilityMode.BackwardTransitive => "BACKWARD_TRANSITIVE",
        AvroCompatibilityMode.Forward => "FORWARD",
        AvroCompatibilityMode.ForwardTransitive => "FORWARD_TRANSITIVE",
        AvroCompatibilityMode.Full => "FULL",
        _ => "FULL_TRANSITIVE",
    };

    private sealed class Checker
    {
        // Pairs being checked (recursive types): a pair met again while in progress is assumed compatible.
        private readonly HashSet<(AvroSchema, AvroSchema)> _inProgress = [];
        private readonly Dictionary<(AvroSchema, AvroSchema), bool> _done = [];

        public void Check(AvroSchema reader, AvroSchema writer, string path, List<AvroIncompatibility> found)
        {
            var key = (reader, writer);
            if (_inProgress.Contains(key))
            {
                return;
            }

            if (_done.TryGetValue(key, out bool ok) && ok)
            {
                return;
            }

            _inProgress.Add(key);
            int before = found.Count;
            Compute(reader, writer, path, found);
            _inProgress.Remove(key);
            _done[key] = found.Count == before;
        }

        private bool Compatible(AvroSchema reader, AvroSchema writer)
        {
            var scratch = new List<AvroIncompatibility>();
            Check(reader, writer, "", scratch);
            return scratch.Count == 0;
        }

        private void Compute(AvroSchema reader, AvroSchema writer, string path, List<AvroIncompatibility> found)
        {
            string at = path.Length == 0 ? "/" : path;
            if (writer is AvroUnionSchema writerUnion)
            {
                for (int i = 0; i < writerUnion.Branches.Count; i++)
                {
                    if (reader is AvroUnionSchema)
                    {
                        if (!Compatible(reader, writerUnion.Branches[i]))
                        {
                            found.Add(new AvroIncompatibility(path + "/" + i, $"reader union lacks the writer's branch {writerUnion.Branches[i].Describe()}"));
                        }
                    }
                    else
                    {
                        Check(reader, writerUnion.Branches[i], path, found);
                    }
                }

                return;
            }

            if (reader is AvroUnionSchema readerUnion)
            {
                foreach (AvroSchema branch in readerUnion.Branches)
                {
                    if (Compatible(branch, writer))
                    {
                        return;
                    }
                }

                found.Add(new AvroIncompatibility(at, $"reader union {reader.Describe()} lacks the writer's type {writer.Describe()}"));
                return;
            }

            switch (reader, writer)
            {
                case (AvroRecordSchema r, AvroRecordSchema w):
                    if (!r.AcceptsName(w))
                    {
                        found.Add(new AvroIncompatibility(path + "/name", $"expected {w.FullName} (or an alias of it), found {r.FullName}"));
                        return;
                    }

                    for (int i = 0; i < r.Fields.Count; i++)
                    {
                        AvroField field = r.Fields[i];
                        AvroField? writerField = w.Field(field.Name) ?? field.Aliases.Select(w.Field).FirstOrDefault(f => f is not null);
                        string fieldPath = $"{path}/fields/{i}";
                        if (writerField is null)
                        {
                            if (field.Default is null)
                            {
                                found.Add(new AvroIncompatibility(fieldPath, $"reader field '{field.Name}' is not in the writer's {w.FullName} and has no default"));
                            }
                        }
                        else
                        {
                            Check(field.Schema, writerField.Schema, fieldPath + "/type", found);
                        }
                    }

                    return;
                case (AvroEnumSchema r, AvroEnumSchema w):
                    if (!r.AcceptsName(w))
                    {
                        found.Add(new AvroIncompatibility(path + "/name", $"expected {w.FullName} (or an alias of it), found {r.FullName}"));
                        return;
                    }

                    string[] missing = w.Symbols.Where(s => r.IndexOf(s) < 0).ToArray();
                    if (missing.Length > 0 && r.DefaultSymbol is null)
                    {
                        found.Add(new AvroIncompatibility(path + "/symbols", $"reader enum {r.FullName} lacks the writer's symbols {string.Join(", ", missing)} and has no default"));
                    }

                    return;
                case (AvroFixedSchema r, AvroFixedSchema w):
                    if (!r.AcceptsName(w))
                    {
                        found.Add(new AvroIncompatibility(path + "/name", $"expected {w.FullName} (or an alias of it), found {r.FullName}"));
                    }

                    if (r.Size != w.Size)
                    {
                        found.Add(new AvroIncompatibility(path + "/size", $"expected size {w.Size}, found {r.Size}"));
                    }

                    return;
                case (AvroArraySchema r, AvroArraySchema w):
                    Check(r.Items, w.Items, path + "/items", found);
                    return;
                case (AvroMapSchema r, AvroMapSchema w):
                    Check(r.Values, w.Values, path + "/values", found);
                    return;
                case (AvroPrimitiveSchema r, AvroPrimitiveSchema w) when r.Kind == w.Kind || AvroPromotion.IsPromotion(w.Kind, r.Kind):
                    return;
                default:
                    found.Add(new AvroIncompatibility(at, $"reader type {reader.Describe()} cannot read writer type {writer.Describe()}"));
                    return;
            }
        }
    }
}
