using Microsoft.CodeAnalysis;

namespace Kappa.Generators.Common;

/// <summary>Avro codec diagnostics for defaults, fixed types and unions (KAPPA016-KAPPA019, taken from the top of the Avro range).</summary>
internal static partial class DiagnosticDescriptors
{
    public static readonly DiagnosticDescriptor AvroInvalidEnumDefault = Error(
        "KAPPA016",
        "[AvroEnumDefault] is not a symbol of the enum",
        "Member '{0}' of '{1}' has the enum type '{2}', whose [AvroEnumDefault(\"{3}\")] is not one of its symbols ({4}). An Avro enum's default must be one of its symbols (Avro readers and registries reject the schema otherwise); name one of the enum's members, e.g. [AvroEnumDefault(nameof({5}))].");

    public static readonly DiagnosticDescriptor AvroInvalidUnion = Error(
        "KAPPA017",
        "Invalid [AvroUnion] type",
        "Member '{0}' of '{1}' has the [AvroUnion] type '{2}', which cannot be written as an Avro union: {3}");

    public static readonly DiagnosticDescriptor AvroInvalidFixed = Error(
        "KAPPA018",
        "Invalid [AvroFixed] size or name",
        "Member '{0}' of '{1}' has [AvroFixed] with {2}: {3}");

    public static readonly DiagnosticDescriptor AvroInvalidDefault = Error(
        "KAPPA019",
        "Avro default does not match the field's type",
        "Member '{0}' of '{1}' has the default {2}, which is not a valid Avro default for its schema {3}: {4}. Readers fill the field with this value for data written before it existed, so it must be a value of the field's type (a union's default belongs to its first branch); see docs/avro.md, 'Defaults'.");
}
