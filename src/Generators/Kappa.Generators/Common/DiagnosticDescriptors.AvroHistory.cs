using Microsoft.CodeAnalysis;

namespace Kappa.Generators.Common;

/// <summary>Avro schema history diagnostics (kappa-avro-history.json): KAPPA012-KAPPA014, in the Avro range KAPPA001-KAPPA019.</summary>
internal static partial class DiagnosticDescriptors
{
    public static readonly DiagnosticDescriptor AvroSchemaIncompatibleWithHistory = Error(
        "KAPPA012",
        "Avro schema change breaks compatibility with the schema history",
        "'{0}' is not {1} compatible with version {2} of its schema history ({3}): {4}. A replay reads every record ever written, so this change would break it. Make the change compatible (give a new field a default, keep or default a removed field, widen only by promotion), or relax the mode with [AvroRecord(Compatibility = ...)] if that is intended.");

    public static readonly DiagnosticDescriptor AvroSchemaHistoryInvalid = Error(
        "KAPPA013",
        "Avro schema history file is invalid",
        "The Avro schema history '{0}' cannot be used: {1}. Restore the file from version control or fix it (recorded schemas must never be edited); the compatibility check and the generated resolving decoders need it.");

    public static readonly DiagnosticDescriptor AvroSchemaNotInHistory = new(
        "KAPPA014",
        "Avro schema not recorded in the schema history",
        "The current schema of '{0}' is not recorded in {1}; it would be recorded as version {2}. Run the schema history test with KAPPA_UPDATE_AVRO_HISTORY=1 (or paste Kappa.Generated.KappaAvroSchemaHistory.Json) and commit the file before records with this schema are written.",
        UsageCategory,
        DiagnosticSeverity.Info,
        isEnabledByDefault: true,
        helpLinkUri: HelpLink("KAPPA014"));
}
