using Microsoft.CodeAnalysis;

namespace Kappa.Generators.Common;

/// <summary>Avro codec diagnostics: KAPPA001-KAPPA019.</summary>
internal static partial class DiagnosticDescriptors
{
    public static readonly DiagnosticDescriptor AvroTypeNotPartial = Error(
        "KAPPA001",
        "[AvroRecord] type must be partial",
        "'{0}' has [AvroRecord] but is not partial (nor are all its containing types): the generator adds the codec in a partial declaration; add the 'partial' modifier");

    public static readonly DiagnosticDescriptor AvroUnsupportedMemberType = Error(
        "KAPPA002",
        "Avro member type is not supported",
        "Member '{0}' of '{1}' has type '{2}', which has no Avro mapping: use one of the supported types (see docs/avro.md) or a nested [AvroRecord] type");

    public static readonly DiagnosticDescriptor AvroNestedTypeNotRecord = Error(
        "KAPPA003",
        "Nested type is not an [AvroRecord]",
        "Member '{0}' of '{1}' has type '{2}', which has no [AvroRecord] attribute, so it has no generated codec: mark '{2}' [AvroRecord] and partial");

    public static readonly DiagnosticDescriptor AvroDictionaryKeyNotString = Error(
        "KAPPA004",
        "Avro map keys must be strings",
        "Member '{0}' of '{1}' is a dictionary keyed by '{2}': Avro maps always have string keys; use Dictionary<string, T> or a list of records");

    public static readonly DiagnosticDescriptor AvroGenericType = Error(
        "KAPPA005",
        "[AvroRecord] type cannot be generic",
        "'{0}' is generic: an Avro schema is fixed at build time, so the generator cannot emit one for an open type; declare a non-generic record per concrete shape");

    public static readonly DiagnosticDescriptor AvroDecimalWithoutAttribute = Error(
        "KAPPA006",
        "decimal member needs [AvroDecimal]",
        "Member '{0}' of '{1}' is a decimal without [AvroDecimal(precision, scale)]: the Avro decimal type stores the scale in the schema, so it must be declared; add e.g. [AvroDecimal(18, 2)]");

    public static readonly DiagnosticDescriptor AvroInvalidDecimal = Error(
        "KAPPA007",
        "Invalid [AvroDecimal] precision or scale",
        "Member '{0}' of '{1}' has [AvroDecimal({2}, {3})]: precision must be 1-38 and scale 0-28 and not above the precision");

    public static readonly DiagnosticDescriptor AvroInvalidName = Error(
        "KAPPA008",
        "Name is not a valid Avro name",
        "'{0}' is not a valid Avro {1} name: Avro names must match [A-Za-z_][A-Za-z0-9_]* (namespaces: such names joined by dots); rename it or set AvroRecord.Name/Namespace");

    public static readonly DiagnosticDescriptor AvroMisplacedAttribute = Error(
        "KAPPA009",
        "Avro attribute on a member of the wrong type",
        "Member '{0}' of '{1}' has [{2}], which applies only to {3} members; remove the attribute or change the member type");

    public static readonly DiagnosticDescriptor AvroNoConstructor = Error(
        "KAPPA010",
        "[AvroRecord] type cannot be constructed",
        "'{0}' is abstract, or is not a positional record and has no accessible parameterless constructor, so decoded values cannot be created; make it concrete and add a parameterless constructor, or make it a positional record");

    public static readonly DiagnosticDescriptor AvroDuplicateName = Error(
        "KAPPA011",
        "Two types share an Avro full name",
        "The schema of '{0}' uses the Avro name '{1}' for two different types ('{2}' and '{3}'); Avro names must be unique within a schema: set AvroRecord.Name/Namespace on one of them");
}
