using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using Kappa.Generators.Avro;
using Kappa.Generators.Avro.Model;
using Kappa.Generators.Common;
using Kappa.Generators.Sinks.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Kappa.Generators.Sinks;

public sealed partial class ServingTableGenerator
{
    /// <summary>
    /// Symbols to <see cref="ServingTableSpec"/>. The record's fields and their types come from the Avro parser (a serving
    /// table is always an [AvroRecord]: its writer decodes the topic with that codec); this part adds the column names,
    /// keys, indexes and column types, and reports misuse.
    /// </summary>
    internal static class Parser
    {
        private const int MaxIdentifierLength = 63;
        private const string ReservedPrefix = "_kappa";

        public static ServingTableResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            var type = (INamedTypeSymbol)context.TargetSymbol;
            var syntax = (TypeDeclarationSyntax)context.TargetNode;
            Location location = syntax.Identifier.GetLocation();
            var diagnostics = new List<DiagnosticInfo>();

            if (!type.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == KnownNames.AvroRecordAttribute))
            {
                return Fail(DiagnosticInfo.Create(DiagnosticDescriptors.TableNotAvroRecord, location, type.Name));
            }

            AttributeData table = context.Attributes[0];
            string? mode = table.ConstructorArguments.Length == 1 && table.ConstructorArguments[0].Value is int m
                ? m switch { 0 => "Upsert", 1 => "Append", _ => null }
                : null;
            if (mode is null)
            {
                string shown = table.ConstructorArguments.Length == 1 ? table.ConstructorArguments[0].Value?.ToString() ?? "null" : "missing";
                return Fail(DiagnosticInfo.Create(DiagnosticDescriptors.TableInvalidMode, location, type.Name, shown));
            }

            // The Avro generator reports everything wrong with the record itself; without a codec there is no table.
            AvroRecordSpec? avro = AvroRecordGenerator.Parser.Parse(context, cancellationToken).Spec;
            if (avro is null)
            {
                return new ServingTableResult(null, EquatableArray<DiagnosticInfo>.Empty);
            }

            List<AvroRecordGenerator.Parser.Member> members = AvroRecordGenerator.Parser.GetMembers(type, out _);
            var columns = new List<TableColumnSpec>();
            var keys = new List<(int Order, int Position, string Column)>();
            var byColumn = new Dictionary<string, string>();
            var byMember = new Dictionary<string, string>();
            for (int i = 0; i < avro.Fields.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                AvroFieldSpec field = avro.Fields[i];
                AvroRecordGenerator.Parser.Member member = members[i];
                AttributeData? key = Find(member.Attributes, KnownNames.TableKeyAttribute);
                AttributeData? rename = Find(member.Attributes, KnownNames.TableColumnAttribute);

                string column;
                if (rename is not null)
                {
                    column = rename.ConstructorArguments.Length == 1 ? rename.ConstructorArguments[0].Value as string ?? string.Empty : string.Empty;
                }
                else
                {
                    column = SnakeCase(member.Name);
                }

                if (InvalidColumnName(column) is { } why)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TableInvalidColumnName, member.Location, type.Name, column, why));
                    continue;
                }

                column = column.ToLowerInvariant();
                if (byColumn.TryGetValue(column, out string? other))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TableDuplicateColumn, member.Location, type.Name, other, member.Name, column));
                    continue;
                }

                byColumn[column] = member.Name;
                byMember[member.Name] = column;

                bool nullable = field.Type.Kind == AvroTypeKind.Nullable;
                AvroTypeSpec value = nullable ? field.Type.Item! : field.Type;
                string? columnType = ColumnType(value.Kind);
                if (columnType is null)
                {
                    diagnostics.Add(DiagnosticInfo.Create(
                        DiagnosticDescriptors.TableMemberTypeNotSupported,
                        member.Location,
                        type.Name,
                        member.Name,
                        member.Type.ToDisplayString(),
                        value.Kind == AvroTypeKind.DateOnly ? "a date has no column type yet; use DateTimeOffset" : "not a column type"));
                    continue;
                }

                bool isKey = key is not null;
                if (isKey)
                {
                    if (mode == "Append")
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TableKeyOnAppendTable, member.Location, type.Name, member.Name));
                        continue;
                    }

                    if (nullable)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TableInvalidKey, member.Location, type.Name, member.Name, "is nullable"));
                        continue;
                    }

                    if (columnType == "Json")
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TableInvalidKey, member.Location, type.Name, member.Name, "is written as JSON"));
                        continue;
                    }

                    int order = key!.NamedArguments.FirstOrDefault(a => a.Key == "Order").Value.Value is int o ? o : 0;
                    keys.Add((order, i, column));
                }

                columns.Add(new TableColumnSpec(member.Name, column, columnType, nullable, value.Precision, value.Scale, isKey, field.Type));
            }

            if (mode == "Upsert" && keys.Count == 0 && diagnostics.Count == 0)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TableUpsertWithoutKey, location, type.Name));
            }

            var indexes = new List<TableIndexSpec>();
            foreach (AttributeData index in type.GetAttributes().Where(a => a.AttributeClass?.ToDisplayString() == KnownNames.TableIndexAttribute))
            {
                Location indexLocation = index.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation() ?? location;
                string[] names = index.ConstructorArguments.Length == 1 && !index.ConstructorArguments[0].IsNull
                    ? index.ConstructorArguments[0].Values.Select(v => v.Value as string ?? string.Empty).ToArray()
                    : [];
                bool unique = index.NamedArguments.FirstOrDefault(a => a.Key == "Unique").Value.Value is true;
                if (names.Length == 0)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TableInvalidIndex, indexLocation, type.Name, "it names no member"));
                    continue;
                }

                var indexColumns = new List<string>();
                foreach (string name in names)
                {
                    if (!byMember.TryGetValue(name, out string? indexed))
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TableInvalidIndex, indexLocation, type.Name, $"'{name}' is not a column member of the type (index members are C# member names)"));
                        indexColumns = null;
                        break;
                    }

                    if (indexColumns.Contains(indexed))
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TableInvalidIndex, indexLocation, type.Name, $"member '{name}' is listed twice"));
                        indexColumns = null;
                        break;
                    }

                    indexColumns.Add(indexed);
                }

                if (indexColumns is not null)
                {
                    indexes.Add(new TableIndexSpec(indexColumns.ToEquatableArray(), unique));
                }
            }

            if (diagnostics.Count > 0)
            {
                return new ServingTableResult(null, diagnostics.ToEquatableArray());
            }

            var json = new List<JsonRecordSpec>();
            foreach (TableColumnSpec column in columns)
            {
                CollectJsonRecords(column.Type, json);
            }

            var spec = new ServingTableSpec(
                avro.Namespace,
                avro.TypeName,
                avro.Keyword,
                avro.FullyQualifiedName,
                avro.FullyQualifiedName.Replace("global::", string.Empty).Replace("@", string.Empty) + ".Table.g.cs",
                avro.ContainingTypes,
                mode,
                columns.ToEquatableArray(),
                keys.OrderBy(k => k.Order).ThenBy(k => k.Position).Select(k => k.Column).ToEquatableArray(),
                indexes.ToEquatableArray(),
                json.ToEquatableArray());
            return new ServingTableResult(spec, EquatableArray<DiagnosticInfo>.Empty);
        }

        private static ServingTableResult Fail(DiagnosticInfo diagnostic) => new(null, new[] { diagnostic }.ToEquatableArray());

        private static AttributeData? Find(List<AttributeData> attributes, string name) =>
            attributes.FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == name);

        /// <summary>The Kappa.Sinks.TableColumnType of a (non-nullable) member kind, or null when it has none.</summary>
        private static string? ColumnType(AvroTypeKind kind) => kind switch
        {
            AvroTypeKind.Boolean => "Boolean",
            AvroTypeKind.Int => "Int32",
            AvroTypeKind.Long => "Int64",
            AvroTypeKind.Float => "Float32",
            AvroTypeKind.Double => "Float64",
            AvroTypeKind.Decimal => "Decimal",
            AvroTypeKind.String or AvroTypeKind.Enum => "Text",
            AvroTypeKind.ByteArray or AvroTypeKind.ReadOnlyMemory => "Bytes",
            AvroTypeKind.Guid => "Uuid",
            AvroTypeKind.DateTimeOffset or AvroTypeKind.DateTime => "TimestampTz",
            AvroTypeKind.Record or AvroTypeKind.Array or AvroTypeKind.List or AvroTypeKind.ReadOnlyList
                or AvroTypeKind.Dictionary or AvroTypeKind.ReadOnlyDictionary or AvroTypeKind.Union or AvroTypeKind.ValueUnion => "Json",
            _ => null,
        };

        /// <summary>Why a column name is not usable, or null when it is.</summary>
        private static string? InvalidColumnName(string name)
        {
            if (name.Length == 0)
            {
                return "it is empty";
            }

            if (name.Length > MaxIdentifierLength)
            {
                return $"it is {name.Length} characters long";
            }

            string lower = name.ToLowerInvariant();
            if (!(lower[0] is (>= 'a' and <= 'z') or '_'))
            {
                return "it does not start with a letter or '_'";
            }

            foreach (char c in lower)
            {
                if (!(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_'))
                {
                    return $"it contains '{c}'";
                }
            }

            return lower.StartsWith(ReservedPrefix, System.StringComparison.Ordinal) ? "the '_kappa' prefix is reserved for Kappa's hidden columns" : null;
        }

        /// <summary>OrderId -> order_id, HTTPCode -> http_code, Sku2 -> sku2.</summary>
        internal static string SnakeCase(string name)
        {
            var sb = new StringBuilder(name.Length + 4);
            for (int i = 0; i < name.Length; i++)
            {
                char c = name[i];
                if (char.IsUpper(c))
                {
                    bool afterLowerOrDigit = i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]));
                    bool endsAcronym = i > 0 && char.IsUpper(name[i - 1]) && i + 1 < name.Length && char.IsLower(name[i + 1]);
                    if ((afterLowerOrDigit || endsAcronym) && sb.Length > 0 && sb[sb.Length - 1] != '_')
                    {
                        sb.Append('_');
                    }

                    sb.Append(char.ToLowerInvariant(c));
                }
                else
                {
                    sb.Append(c);
                }
            }

            return sb.ToString();
        }

        /// <summary>Every record type reachable from a JSON column, once each, in first-use order.</summary>
        private static void CollectJsonRecords(AvroTypeSpec type, List<JsonRecordSpec> records)
        {
            switch (type.Kind)
            {
                case AvroTypeKind.Record:
                    string cs = type.CsType.TrimEnd('?');
                    if (records.Any(r => r.CsType == cs))
                    {
                        return;
                    }

                    records.Add(new JsonRecordSpec(cs, "WriteKappaJson" + records.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), type.IsValueType, type.Fields));
                    foreach (AvroFieldSpec field in type.Fields)
                    {
                        CollectJsonRecords(field.Type, records);
                    }

                    break;
                case AvroTypeKind.Nullable or AvroTypeKind.Array or AvroTypeKind.List or AvroTypeKind.ReadOnlyList or AvroTypeKind.Dictionary or AvroTypeKind.ReadOnlyDictionary:
                    CollectJsonRecords(type.Item!, records);
                    break;
                case AvroTypeKind.Union or AvroTypeKind.ValueUnion:
                    foreach (AvroTypeSpec branch in type.Branches)
                    {
                        CollectJsonRecords(branch, records);
                    }

                    break;
            }
        }
    }
}
