using System.Collections.Immutable;
using Kappa.Avro.Schemas;
using Kappa.Generators.Avro.History.Model;
using Kappa.Generators.Avro.Model;
using Kappa.Generators.Common;

namespace Kappa.Generators.Avro.History;

/// <summary>Decides which resolving decoders one type gets: one per recorded schema other than the current one.</summary>
internal static class AvroResolvingPlanner
{
    public static AvroResolvingSpec? Plan(AvroRecordSpec spec, ImmutableArray<AvroRecordSpec> all, AvroHistorySpec history)
    {
        if (!history.Present || history.Error is not null || history.Find(AvroHistoryChecker.TypeKey(spec.FullyQualifiedName)) is not { } entry)
        {
            return null;
        }

        var others = entry.Versions.Where(v => v.Fingerprint != spec.Fingerprint).ToList();
        if (others.Count == 0)
        {
            return null;
        }

        var byType = new Dictionary<string, AvroRecordSpec>(StringComparer.Ordinal);
        foreach (AvroRecordSpec s in all)
        {
            byType[s.FullyQualifiedName] = s;
        }

        var versions = new List<AvroResolvingVersionSpec>();
        foreach (AvroHistoryVersionSpec version in others)
        {
            try
            {
                (string method, string code) = ResolvingDecoderBuilder.Build(spec, byType, version.SchemaJson, version.Version);
                versions.Add(new AvroResolvingVersionSpec(version.Version, version.Fingerprint, method, code, null));
            }
            catch (Exception e) when (e is NotGeneratedException or AvroSchemaException)
            {
                string reason = e is NotGeneratedException { Refused: true } ? e.Message : e.Message + "; the run-time plan reads its data";
                versions.Add(new AvroResolvingVersionSpec(version.Version, version.Fingerprint, null, string.Empty, reason));
            }
        }

        const string suffix = ".Avro.g.cs";
        string hint = spec.HintName.EndsWith(suffix, StringComparison.Ordinal)
            ? spec.HintName.Substring(0, spec.HintName.Length - suffix.Length) + ".AvroResolving.g.cs"
            : spec.HintName + ".AvroResolving.g.cs";
        return new AvroResolvingSpec(
            spec.Namespace,
            spec.TypeName,
            spec.Keyword,
            spec.FullyQualifiedName,
            hint,
            spec.HidesInheritedCodec,
            spec.ContainingTypes,
            versions.ToEquatableArray());
    }
}
