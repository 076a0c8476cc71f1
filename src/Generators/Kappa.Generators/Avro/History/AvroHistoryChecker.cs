using System.Globalization;
using System.Text;
using Kappa.Avro.Schemas;
using Kappa.Generators.Avro.History.Model;
using Kappa.Generators.Avro.Model;
using Kappa.Generators.Common;

namespace Kappa.Generators.Avro.History;

/// <summary>
/// Checks the current schema of one [AvroRecord] type against every schema recorded in its history, with the run-time
/// compatibility checker (Kappa.Runtime's AvroCompatibility, compiled in as a linked source), and works out the type's
/// entry of the updated history file.
/// </summary>
internal static class AvroHistoryChecker
{
    public static AvroHistoryResult Check(AvroRecordSpec spec, AvroHistoryTarget? target, AvroHistorySpec history)
    {
        if (!history.Present || history.Error is not null)
        {
            return new AvroHistoryResult(EquatableArray<DiagnosticInfo>.Empty, null);
        }

        string type = TypeKey(spec.FullyQualifiedName);
        AvroCompatibilityMode mode = target?.Mode ?? AvroCompatibilityMode.BackwardTransitive;
        AvroHistoryTypeSpec? recorded = history.Find(type);
        var diagnostics = new List<DiagnosticInfo>();
        var versions = recorded is null ? new List<AvroHistoryVersionSpec>() : recorded.Versions.ToList();
        bool isRecorded = versions.Any(v => v.Fingerprint == spec.Fingerprint);

        // Earlier versions: every recorded schema that is not the current one, oldest first.
        var earlier = versions.Where(v => v.Fingerprint != spec.Fingerprint).ToList();
        if (earlier.Count > 0)
        {
            AvroSchema current = AvroSchemaParser.Parse(spec.SchemaJson);
            var parsed = earlier.Select(v => AvroSchemaParser.Parse(v.SchemaJson)).ToList();
            foreach (AvroCompatibilityViolation violation in AvroCompatibility.Check(current, parsed, mode))
            {
                AvroHistoryVersionSpec version = earlier[violation.VersionIndex];
                AvroSchema readerSchema = violation.NewSchemaIsReader ? current : parsed[violation.VersionIndex];
                diagnostics.Add(new DiagnosticInfo(
                    DiagnosticDescriptors.AvroSchemaIncompatibleWithHistory,
                    target?.Location,
                    new[]
                    {
                        type,
                        AvroCompatibility.ModeName(mode),
                        version.Version.ToString(CultureInfo.InvariantCulture),
                        "fingerprint " + AvroHistoryFile.FormatFingerprint(version.Fingerprint),
                        Describe(violation, readerSchema),
                    }.ToEquatableArray()));
            }
        }

        if (!isRecorded)
        {
            int next = versions.Count + 1;
            versions.Add(new AvroHistoryVersionSpec(next, spec.Fingerprint, spec.SchemaJson));
            diagnostics.Add(new DiagnosticInfo(
                DiagnosticDescriptors.AvroSchemaNotInHistory,
                target?.Location,
                new[] { type, System.IO.Path.GetFileName(history.Path!), next.ToString(CultureInfo.InvariantCulture) }.ToEquatableArray()));
        }

        return new AvroHistoryResult(diagnostics.ToEquatableArray(), new AvroHistoryTypeSpec(type, versions.ToEquatableArray()));
    }

    /// <summary>The history key of a type: its full C# name without <c>global::</c>.</summary>
    public static string TypeKey(string fullyQualifiedName) => fullyQualifiedName.Replace("global::", string.Empty);

    private static string Describe(AvroCompatibilityViolation violation, AvroSchema readerSchema)
    {
        var sb = new StringBuilder(violation.NewSchemaIsReader
            ? "the new schema cannot read data written with it"
            : "readers with it cannot read data written with the new schema");
        foreach (AvroIncompatibility incompatibility in violation.Incompatibilities)
        {
            sb.Append("; ").Append(FieldPath(readerSchema, incompatibility.Path)).Append(": ").Append(incompatibility.Reason);
        }

        return sb.ToString();
    }

    /// <summary>
    /// The checker's JSON-pointer-like path in the reader schema (<c>/fields/2/type/items</c>) as field names
    /// (<c>field 'Lines[].Sku'</c>), so the message names the field, not its position.
    /// </summary>
    internal static string FieldPath(AvroSchema root, string path)
    {
        string[] segments = path.Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries);
        var name = new StringBuilder();
        AvroSchema? node = root;
        for (int i = 0; i < segments.Length; i++)
        {
            string segment = segments[i];
            switch (segment)
            {
                case "fields" when node is AvroRecordSchema record && i + 1 < segments.Length
                    && int.TryParse(segments[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int index) && index < record.Fields.Count:
                    name.Append(name.Length > 0 ? "." : string.Empty).Append(record.Fields[index].Name);
                    node = record.Fields[index].Schema;
                    i++;
                    break;
                case "type":
                    break;
                case "items" when node is AvroArraySchema array:
                    name.Append("[]");
                    node = array.Items;
                    break;
                case "values" when node is AvroMapSchema map:
                    name.Append("{}");
                    node = map.Values;
                    break;
                default:
                    if (node is AvroUnionSchema union && int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out int branch) && branch < union.Branches.Count)
                    {
                        node = union.Branches[branch];
                    }

                    break;
            }
        }

        return name.Length == 0 ? "the record" : "field '" + name + "'";
    }
}
