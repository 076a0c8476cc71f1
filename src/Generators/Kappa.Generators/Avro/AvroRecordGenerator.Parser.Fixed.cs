using Kappa.Generators.Avro.Model;
using Kappa.Generators.Common;
using Microsoft.CodeAnalysis;

namespace Kappa.Generators.Avro;

public sealed partial class AvroRecordGenerator
{
    /// <summary>Fixed types (<c>[AvroFixed]</c> bytes, uuid on fixed, duration) and <c>TimeOnly</c>.</summary>
    internal static partial class Parser
    {
        /// <summary>
        /// The mapping of byte[] / ReadOnlyMemory&lt;byte&gt; / Guid with [AvroFixed], AvroDuration and TimeOnly; null for any
        /// other type (and for those types without [AvroFixed], which keep their default mapping).
        /// </summary>
        private static AvroTypeSpec? MapFixedOrTime(ITypeSymbol type, string cs, MemberContext context)
        {
            string definition = type.OriginalDefinition.ToDisplayString();
            bool bytes = type is IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Byte };
            bool memory = definition == "System.ReadOnlyMemory<T>" && type is INamedTypeSymbol { TypeArguments.Length: 1 } m && m.TypeArguments[0].SpecialType == SpecialType.System_Byte;
            switch (definition)
            {
                case "System.TimeOnly":
                    bool micros = false;
                    if (context.Timestamp is not null)
                    {
                        context.UsedTimestamp = true;
                        micros = context.Timestamp.ConstructorArguments.Length > 0 && context.Timestamp.ConstructorArguments[0].Value is int v && v == 1;
                    }

                    return new AvroTypeSpec(AvroTypeKind.TimeOnly, cs, Micros: micros, IsValueType: true);
                case KnownNames.AvroDuration:
                    return Fixed(AvroTypeKind.Duration, cs, 12, 12, isValueType: true, context);
                case "System.Guid" when context.Fixed is not null:
                    return Fixed(AvroTypeKind.Guid, cs, 16, 16, isValueType: true, context);
            }

            if ((bytes || memory) && context.Fixed is not null)
            {
                return Fixed(bytes ? AvroTypeKind.ByteArray : AvroTypeKind.ReadOnlyMemory, cs, 0, 0, isValueType: memory, context);
            }

            return null;
        }

        /// <summary>A named fixed of <paramref name="impliedSize"/> bytes (0: the attribute gives it), named by [AvroFixed] or after the member.</summary>
        private static AvroTypeSpec? Fixed(AvroTypeKind kind, string cs, int impliedSize, int requiredSize, bool isValueType, MemberContext context)
        {
            AttributeData? attribute = context.Fixed;
            int size = impliedSize;
            string name = context.Member.Name;
            string? ns = context.RecordNamespace;
            if (attribute is not null)
            {
                context.UsedFixed = true;
                int given = attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is int s ? s : 0;
                if (requiredSize > 0 && given != 0 && given != requiredSize)
                {
                    context.Fail(DiagnosticDescriptors.AvroInvalidFixed, context.Member.Name, context.TypeName, $"size {given}", $"a {(kind == AvroTypeKind.Guid ? "uuid" : "duration")} is always fixed({requiredSize}); omit the size or use {requiredSize}");
                    return null;
                }

                if (requiredSize == 0)
                {
                    if (given < 1)
                    {
                        context.Fail(DiagnosticDescriptors.AvroInvalidFixed, context.Member.Name, context.TypeName, given == 0 ? "no size" : $"size {given}", "a fixed of bytes needs a size of at least 1, e.g. [AvroFixed(32)]");
                        return null;
                    }

                    size = given;
                }

                foreach (var argument in attribute.NamedArguments)
                {
                    if (argument.Key == "Name" && argument.Value.Value is string n && n.Length > 0)
                    {
                        name = n;
                    }
                    else if (argument.Key == "Namespace" && argument.Value.Value is string space)
                    {
                        ns = space.Length == 0 ? null : space;
                    }
                }
            }

            if (!IsValidName(name))
            {
                context.Fail(DiagnosticDescriptors.AvroInvalidFixed, context.Member.Name, context.TypeName, $"the name '{name}'", "it is not a valid Avro name ([A-Za-z_][A-Za-z0-9_]*); set AvroFixed.Name");
                return null;
            }

            if (ns is not null && !IsValidNamespace(ns))
            {
                context.Fail(DiagnosticDescriptors.AvroInvalidFixed, context.Member.Name, context.TypeName, $"the namespace '{ns}'", "it is not a valid Avro namespace; set AvroFixed.Namespace");
                return null;
            }

            return new AvroTypeSpec(kind, cs, AvroFullName: FullName(name, ns), IsValueType: isValueType, FixedSize: size);
        }
    }
}
