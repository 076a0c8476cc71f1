using Microsoft.CodeAnalysis;

namespace Kappa.Generators.Common;

/// <summary>[ServingTable] diagnostics: KAPPA060-079.</summary>
internal static partial class DiagnosticDescriptors
{
    public static readonly DiagnosticDescriptor TableNotAvroRecord = Error(
        "KAPPA060",
        "[ServingTable] type is not an [AvroRecord]",
        "[ServingTable] type '{0}' must also be an [AvroRecord]: its sink writer reads the records of its topic with the type's Avro codec; add [AvroRecord]");

    public static readonly DiagnosticDescriptor TableUpsertWithoutKey = Error(
        "KAPPA061",
        "Upsert table has no key",
        "Serving table '{0}' upserts (keeps the latest row per key) but no member is marked [TableKey]; mark the member(s) that identify a row, or use TableMode.Append to keep every record");

    public static readonly DiagnosticDescriptor TableKeyOnAppendTable = Error(
        "KAPPA062",
        "[TableKey] on an append table",
        "Member '{1}' of append table '{0}' is marked [TableKey], but an append table keeps every record (its rows are identified by partition and offset); remove [TableKey] (add a [TableIndex] for lookups) or use TableMode.Upsert");

    public static readonly DiagnosticDescriptor TableMemberTypeNotSupported = Error(
        "KAPPA063",
        "Member type has no column mapping",
        "Member '{1}' of serving table '{0}' has type '{2}', which has no column mapping: {3}. Columns are bool, int, long, float, double, decimal ([AvroDecimal]), string, byte[], ReadOnlyMemory<byte>, Guid, DateTimeOffset, DateTime, enums (as text), Nullable<T> of these, and nested [AvroRecord] types, arrays, lists and maps (as JSON).");

    public static readonly DiagnosticDescriptor TableInvalidColumnName = Error(
        "KAPPA064",
        "Invalid column name",
        "Column name '{1}' of serving table '{0}' is not usable: {2}. A column name is a plain SQL identifier (a letter or '_', then letters, digits or '_', at most 63 characters; compared lower-cased) and must not start with '_kappa'; rename the column with [TableColumn(\"...\")]");

    public static readonly DiagnosticDescriptor TableDuplicateColumn = Error(
        "KAPPA065",
        "Two members map to one column",
        "Members '{1}' and '{2}' of serving table '{0}' both map to column '{3}' (column names are compared lower-cased); rename one with [TableColumn(\"...\")]");

    public static readonly DiagnosticDescriptor TableInvalidKey = Error(
        "KAPPA066",
        "Invalid key member",
        "Key member '{1}' of serving table '{0}' {2}; a key column is a non-null scalar (not a nested record, list or map, and not Nullable<T> or a nullable reference)");

    public static readonly DiagnosticDescriptor TableInvalidIndex = Error(
        "KAPPA067",
        "Invalid [TableIndex]",
        "[TableIndex] on serving table '{0}' is invalid: {1}");

    public static readonly DiagnosticDescriptor TableInvalidMode = Error(
        "KAPPA068",
        "Invalid table mode",
        "[ServingTable] on '{0}' has mode '{1}'; use TableMode.Upsert or TableMode.Append");

    public static readonly DiagnosticDescriptor TableNameTooLong = Error(
        "KAPPA069",
        "Serving table name too long",
        "Sink '{0}' of processor '{1}' version {2} writes serving table '{3}' ({4} characters); databases cut identifiers at 63 characters (PostgreSQL) and two versions could then share a table, so shorten the sink name");
}
