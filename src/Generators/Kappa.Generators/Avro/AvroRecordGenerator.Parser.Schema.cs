using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Kappa.Generators.Avro.Model;
using Kappa.Generators.Common;
using Microsoft.CodeAnalysis;

namespace Kappa.Generators.Avro;

public sealed partial class AvroRecordGenerator
{
    /// <summary>The schema-only parts of records and fields: <c>doc</c>, <c>aliases</c> and field defaults.</summary>
    internal static partial class Parser
    {
        /// <summary>
        /// The field of a mapped member: its doc ([AvroDoc]), aliases ([AvroAlias]) and default ([AvroDefault], else the
        /// C# default value of a positional parameter), checked against the type. A non-null default of a nullable
        /// member turns its union into <c>[T, "null"]</c> (a union's default belongs to its first branch).
        /// </summary>
        private static AvroFieldSpec? FieldSchema(Member member, AvroTypeSpec type, MemberContext context)
        {
            string? doc = StringArgument(member.Attributes, KnownNames.AvroDocAttribute);
            var aliases = new List<string>();
            foreach (AttributeData alias in member.Attributes.Where(a => a.AttributeClass?.ToDisplayString() == KnownNames.AvroAliasAttribute))
            {
                string name = alias.ConstructorArguments.Length == 1 ? alias.ConstructorArguments[0].Value as string ?? string.Empty : string.Empty;
                if (!IsValidName(name))
                {
                    context.Fail(DiagnosticDescriptors.AvroInvalidName, name, "field alias");
                    return null;
                }

                if (!aliases.Contains(name))
                {
                    aliases.Add(name);
                }
            }

            string? defaultJson = null;
            string? source = null;
            AvroJsonValue? value = null;
            if (member.Attributes.FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == KnownNames.AvroDefaultAttribute) is { } attribute)
            {
                source = attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as string ?? string.Empty : string.Empty;
                value = AvroJsonValue.Parse(source, out string? error);
                if (value is null)
                {
                    context.Fail(DiagnosticDescriptors.AvroInvalidDefault, member.Name, context.TypeName, "[AvroDefault(" + Quote(source) + ")]", SchemaOf(type), error!);
                    return null;
                }
            }
            else if (member.HasDefaultValue)
            {
                source = "= " + (member.DefaultValue is null ? "null or default" : Convert.ToString(member.DefaultValue, CultureInfo.InvariantCulture));
                value = FromConstant(member.DefaultValue, member.Type, out string? error);
                if (value is null)
                {
                    context.Fail(DiagnosticDescriptors.AvroInvalidDefault, member.Name, context.TypeName, source, SchemaOf(type), error!);
                    return null;
                }
            }

            if (value is not null)
            {
                if (type.Kind == AvroTypeKind.Nullable && value.Kind != AvroJsonKind.Null)
                {
                    type = type with { NullLast = true };
                }

                if (AvroDefaultChecker.CheckField(value, type, out AvroJsonValue normalized) is { } reason)
                {
                    context.Fail(DiagnosticDescriptors.AvroInvalidDefault, member.Name, context.TypeName, source!, SchemaOf(type), reason);
                    return null;
                }

                defaultJson = normalized.Write();
            }
            else if (type.Kind == AvroTypeKind.Nullable)
            {
                defaultJson = "null"; // nullable members have always had "default": null
            }

            return new AvroFieldSpec(member.Name, type, defaultJson, doc, aliases.ToEquatableArray());
        }

        /// <summary>A record's [AvroDoc] and [AvroAlias] values (aliases null when one is not a valid Avro name; reported).</summary>
        private static (string? Doc, List<string>? Aliases) RecordDocAndAliases(INamedTypeSymbol type, string? ns, List<DiagnosticInfo> diagnostics, Location? location, bool report)
        {
            var attributes = type.GetAttributes();
            string? doc = StringArgument(attributes, KnownNames.AvroDocAttribute);
            var aliases = new List<string>();
            foreach (AttributeData alias in attributes.Where(a => a.AttributeClass?.ToDisplayString() == KnownNames.AvroAliasAttribute))
            {
                string name = alias.ConstructorArguments.Length == 1 ? alias.ConstructorArguments[0].Value as string ?? string.Empty : string.Empty;
                if (!name.Split('.').All(IsValidName))
                {
                    if (report)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.AvroInvalidName, location, name, "record alias"));
                    }

                    return (doc, null);
                }

                // Aliases are written as full names: a bare alias is in the record's namespace (the spec's rule).
                string full = name.Contains('.') || ns is null ? name : ns + "." + name;
                if (!aliases.Contains(full))
                {
                    aliases.Add(full);
                }
            }

            return (doc, aliases);
        }

        private static string? StringArgument(IEnumerable<AttributeData> attributes, string attributeName) =>
            attributes.FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == attributeName) is { ConstructorArguments.Length: 1 } a
                ? a.ConstructorArguments[0].Value as string
                : null;

        private static string Quote(string text)
        {
            var builder = new StringBuilder();
            AvroJsonValue.WriteString(builder, text);
            return builder.ToString();
        }

        /// <summary>The field type's schema JSON, for messages.</summary>
        private static string SchemaOf(AvroTypeSpec type) => new AvroSchemaBuilder().Build(type, canonical: false);

        /// <summary>The JSON of a C# parameter default: null, bool, numbers, strings, enum members and decimals.</summary>
        private static AvroJsonValue? FromConstant(object? value, ITypeSymbol type, out string? error)
        {
            error = null;
            if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
            {
                type = nullable.TypeArguments[0];
                if (value is null)
                {
                    return AvroJsonValue.Null;
                }
            }

            switch (value)
            {
                case null when type.IsReferenceType:
                    return AvroJsonValue.Null;
                case null:
                    error = $"default({type.ToDisplayString()}) has no Avro literal here; give the default with [AvroDefault(\"...\")] in the field's Avro form";
                    return null;
                case bool b:
                    return AvroJsonValue.Boolean(b);
                case string s:
                    return AvroJsonValue.String(s);
                case float f:
                    return Real(f, f.ToString("R", CultureInfo.InvariantCulture));
                case double d:
                    return Real(d, d.ToString("R", CultureInfo.InvariantCulture));
                case decimal m:
                    return AvroJsonValue.Number(m.ToString(CultureInfo.InvariantCulture));
            }

            if (type.TypeKind == TypeKind.Enum)
            {
                foreach (IFieldSymbol field in type.GetMembers().OfType<IFieldSymbol>())
                {
                    if (field.HasConstantValue && Equals(field.ConstantValue, value))
                    {
                        return AvroJsonValue.String(field.Name);
                    }
                }

                error = $"{value} is not a declared member of {type.Name}, so it has no Avro symbol";
                return null;
            }

            if (value is int or long or short or byte or sbyte or ushort or uint or ulong)
            {
                return AvroJsonValue.Number(Convert.ToString(value, CultureInfo.InvariantCulture)!);
            }

            error = $"the C# default {value} has no Avro literal here; use [AvroDefault(\"...\")]";
            return null;
        }

        /// <summary>A finite number as its round-trip text; NaN and the infinities as strings, which the checker then rejects.</summary>
        private static AvroJsonValue Real(double value, string text) =>
            double.IsNaN(value) ? AvroJsonValue.String("NaN")
            : double.IsPositiveInfinity(value) ? AvroJsonValue.String("Infinity")
            : double.IsNegativeInfinity(value) ? AvroJsonValue.String("-Infinity")
            : AvroJsonValue.Number(text);
    }
}
