using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Kappa.Generators.Avro.Model;
using Kappa.Generators.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Kappa.Generators.Avro;

public sealed partial class AvroRecordGenerator
{
    /// <summary>Symbols to model: validates the type and its members and computes the schema, canonical form and fingerprint.</summary>
    internal static partial class Parser
    {
        private static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
            .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

        public static AvroRecordResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            var type = (INamedTypeSymbol)context.TargetSymbol;
            var syntax = (TypeDeclarationSyntax)context.TargetNode;
            var diagnostics = new List<DiagnosticInfo>();
            Location location = syntax.Identifier.GetLocation();

            bool allPartial = true;
            var containing = new List<ContainingTypeSpec>();
            for (SyntaxNode? node = syntax; node is TypeDeclarationSyntax declaration; node = node.Parent)
            {
                if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
                {
                    allPartial = false;
                }

                if (!ReferenceEquals(declaration, syntax))
                {
                    containing.Insert(0, new ContainingTypeSpec(Keyword(declaration), declaration.Identifier.ValueText));
                }
            }

            if (syntax.Parent is not (TypeDeclarationSyntax or BaseNamespaceDeclarationSyntax or CompilationUnitSyntax))
            {
                allPartial = false;
            }

            if (!allPartial)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.AvroTypeNotPartial, location, type.Name));
            }

            for (INamedTypeSymbol? t = type; t is not null; t = t.ContainingType)
            {
                if (t.TypeParameters.Length > 0)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.AvroGenericType, location, type.Name));
                    break;
                }
            }

            var (avroName, avroNamespace) = AvroNames(type);
            if (!IsValidName(avroName))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.AvroInvalidName, location, avroName, "record"));
            }

            if (avroNamespace is not null && !IsValidNamespace(avroNamespace))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.AvroInvalidName, location, avroNamespace, "namespace"));
            }

            cancellationToken.ThrowIfCancellationRequested();
            var members = GetMembers(type, out bool positional);
            if (type.IsAbstract || (!positional && !type.IsValueType && !type.InstanceConstructors.Any(c => c.Parameters.Length == 0 && c.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal)))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.AvroNoConstructor, location, type.Name));
            }

            var stack = new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default) { type };
            var fields = new List<AvroFieldSpec>();
            bool failed = false;
            foreach (var member in members)
            {
                AvroFieldSpec? field = MapMember(member, type.Name, avroNamespace, stack, diagnostics, report: true);
                if (field is null)
                {
                    failed = true;
                }
                else
                {
                    fields.Add(field);
                }
            }

            var (recordDoc, recordAliases) = RecordDocAndAliases(type, avroNamespace, diagnostics, location, report: true);
            if (recordAliases is null)
            {
                failed = true;
                recordAliases = new List<string>();
            }

            if (failed || diagnostics.Count > 0)
            {
                return new AvroRecordResult(null, diagnostics.ToEquatableArray());
            }

            var root = new AvroTypeSpec(
                AvroTypeKind.Record,
                type.ToDisplayString(TypeFormat),
                AvroFullName: FullName(avroName, avroNamespace),
                Fields: fields.ToEquatableArray(),
                IsValueType: type.IsValueType,
                Doc: recordDoc,
                Aliases: recordAliases.ToEquatableArray());
            var schema = new AvroSchemaBuilder();
            string json = schema.Build(root, canonical: false);
            string canonicalForm = new AvroSchemaBuilder().Build(root, canonical: true);
            if (schema.Conflict is { } conflict)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.AvroDuplicateName, location, type.Name, conflict.Name, conflict.First, conflict.Second));
                return new AvroRecordResult(null, diagnostics.ToEquatableArray());
            }

            string fullyQualified = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
            string ns = type.ContainingNamespace is { IsGlobalNamespace: false } n
                ? n.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Replace("global::", string.Empty)
                : string.Empty;
            string hintPrefix = fullyQualified.Replace("global::", string.Empty).Replace("@", string.Empty);
            bool hides = false;
            for (INamedTypeSymbol? b = type.BaseType; b is not null; b = b.BaseType)
            {
                hides |= b.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == KnownNames.AvroRecordAttribute);
            }

            var spec = new AvroRecordSpec(
                ns.Length == 0 ? null : ns,
                type.Name,
                Keyword(syntax),
                fullyQualified,
                hintPrefix + ".Avro.g.cs",
                type.IsValueType,
                positional,
                hides,
                containing.ToEquatableArray(),
                fields.ToEquatableArray(),
                json,
                canonicalForm,
                global::Kappa.Avro.Crc64Avro.Compute(canonicalForm));
            return new AvroRecordResult(spec, EquatableArray<DiagnosticInfo>.Empty);
        }

        private static string Keyword(TypeDeclarationSyntax declaration) => declaration switch
        {
            RecordDeclarationSyntax r when r.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) => "record struct",
            RecordDeclarationSyntax => "record",
            StructDeclarationSyntax => "struct",
            InterfaceDeclarationSyntax => "interface",
            _ => "class",
        };

        private static (string Name, string? Namespace) AvroNames(INamedTypeSymbol type)
        {
            string? name = null;
            string? ns = null;
            bool explicitNamespace = false;
            foreach (var attribute in type.GetAttributes())
            {
                if (attribute.AttributeClass?.ToDisplayString() != KnownNames.AvroRecordAttribute)
                {
                    continue;
                }

                foreach (var argument in attribute.NamedArguments)
                {
                    if (argument.Key == "Name" && argument.Value.Value is string n && n.Length > 0)
                    {
                        name = n;
                    }
                    else if (argument.Key == "Namespace" && argument.Value.Value is string s)
                    {
                        ns = s.Length == 0 ? null : s;
                        explicitNamespace = true;
                    }
                }
            }

            if (!explicitNamespace)
            {
                ns = DefaultNamespace(type);
            }

            return (name ?? type.Name, ns);
        }

        private static string? DefaultNamespace(ISymbol type) =>
            type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : null;

        private static string FullName(string name, string? ns) => ns is null ? name : ns + "." + name;

        internal static bool IsValidName(string name)
        {
            if (name.Length == 0 || !(IsLetter(name[0]) || name[0] == '_'))
            {
                return false;
            }

            foreach (char c in name)
            {
                if (!(IsLetter(c) || c == '_' || (c >= '0' && c <= '9')))
                {
                    return false;
                }
            }

            return true;
        }

        private static bool IsLetter(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');

        private static bool IsValidNamespace(string ns) => ns.Split('.').All(IsValidName);

        /// <summary>One record member: its name, type, declaration location and the attributes that apply to it.</summary>
        internal sealed class Member
        {
            public Member(string name, ITypeSymbol type, Location? location, IEnumerable<AttributeData> attributes, bool hasDefaultValue = false, object? defaultValue = null)
            {
                Name = name;
                Type = type;
                Location = location;
                Attributes = attributes.ToList();
                HasDefaultValue = hasDefaultValue;
                DefaultValue = defaultValue;
            }

            /// <summary>True for a positional record parameter with a C# default value (<see cref="DefaultValue"/>).</summary>
            public bool HasDefaultValue { get; }

            public object? DefaultValue { get; }

            public string Name { get; }

            public ITypeSymbol Type { get; }

            public Location? Location { get; }

            public List<AttributeData> Attributes { get; }
        }

        /// <summary>The members that become record fields, in field order (also used by the serving table generator).</summary>
        internal static List<Member> GetMembers(INamedTypeSymbol type, out bool positional)
        {
            IMethodSymbol? primary = PrimaryConstructor(type);
            positional = primary is not null;
            if (primary is not null)
            {
                return primary.Parameters.Select(p =>
                {
                    var attributes = p.GetAttributes().AsEnumerable();
                    if (type.GetMembers(p.Name).OfType<IPropertySymbol>().FirstOrDefault() is { } property)
                    {
                        attributes = attributes.Concat(property.GetAttributes());
                    }

                    return new Member(p.Name, p.Type, p.Locations.FirstOrDefault(), attributes, p.HasExplicitDefaultValue, p.HasExplicitDefaultValue ? p.ExplicitDefaultValue : null);
                }).ToList();
            }

            var chain = new List<INamedTypeSymbol>();
            for (INamedTypeSymbol? t = type; t is not null && t.SpecialType != SpecialType.System_Object && t.SpecialType != SpecialType.System_ValueType; t = t.BaseType)
            {
                chain.Insert(0, t);
            }

            var members = new List<Member>();
            var seen = new HashSet<string>();
            foreach (var t in chain)
            {
                foreach (ISymbol symbol in t.GetMembers())
                {
                    if (symbol.IsStatic || symbol.IsImplicitlyDeclared || symbol.DeclaredAccessibility != Accessibility.Public || !seen.Add(symbol.Name))
                    {
                        continue;
                    }

                    if (symbol is IPropertySymbol { IsIndexer: false, SetMethod: { DeclaredAccessibility: Accessibility.Public }, GetMethod: not null } property)
                    {
                        members.Add(new Member(property.Name, property.Type, property.Locations.FirstOrDefault(), property.GetAttributes()));
                    }
                    else if (symbol is IFieldSymbol { IsReadOnly: false, IsConst: false } field)
                    {
                        members.Add(new Member(field.Name, field.Type, field.Locations.FirstOrDefault(), field.GetAttributes()));
                    }
                }
            }

            return members;
        }

        /// <summary>The primary constructor of a positional record (from source, or from metadata via its Deconstruct).</summary>
        private static IMethodSymbol? PrimaryConstructor(INamedTypeSymbol type)
        {
            if (!type.IsRecord)
            {
                return null;
            }

            foreach (var constructor in type.InstanceConstructors)
            {
                if (constructor.DeclaringSyntaxReferences.Any(r => r.GetSyntax() is RecordDeclarationSyntax { ParameterList: not null }))
                {
                    return constructor;
                }
            }

            if (type.DeclaringSyntaxReferences.Length > 0)
            {
                return null;
            }

            var deconstruct = type.GetMembers("Deconstruct").OfType<IMethodSymbol>().FirstOrDefault(m => m.IsImplicitlyDeclared);
            if (deconstruct is null)
            {
                return null;
            }

            return type.InstanceConstructors.FirstOrDefault(c =>
                c.Parameters.Length == deconstruct.Parameters.Length
                && c.Parameters.Select(p => (p.Name, p.Type)).SequenceEqual(deconstruct.Parameters.Select(p => (p.Name, p.Type)), ParameterComparer.Instance));
        }

        private sealed class ParameterComparer : IEqualityComparer<(string Name, ITypeSymbol Type)>
        {
            public static readonly ParameterComparer Instance = new();

            public bool Equals((string Name, ITypeSymbol Type) x, (string Name, ITypeSymbol Type) y) =>
                x.Name == y.Name && SymbolEqualityComparer.Default.Equals(x.Type, y.Type);

            public int GetHashCode((string Name, ITypeSymbol Type) obj) => obj.Name.GetHashCode();
        }

        /// <summary>Per-member mapping state: the attributes found and whether they were used.</summary>
        private sealed class MemberContext
        {
            public MemberContext(Member member, string typeName, string? recordNamespace, List<DiagnosticInfo> diagnostics, bool report)
            {
                Member = member;
                TypeName = typeName;
                RecordNamespace = recordNamespace;
                Diagnostics = diagnostics;
                Report = report;
                Decimal = member.Attributes.FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == KnownNames.AvroDecimalAttribute);
                Timestamp = member.Attributes.FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == KnownNames.AvroTimestampAttribute);
                Fixed = member.Attributes.FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == KnownNames.AvroFixedAttribute);
                Local = Timestamp?.NamedArguments.Any(a => a.Key == "Local" && a.Value.Value is true) == true;
            }

            /// <summary>The Avro namespace of the record that declares the member (the default namespace of its fixed types).</summary>
            public string? RecordNamespace { get; }

            public AttributeData? Fixed { get; }

            /// <summary>[AvroTimestamp(Local = true)]: a local-timestamp (DateTime only).</summary>
            public bool Local { get; }

            public bool UsedFixed { get; set; }

            public bool UsedLocal { get; set; }

            public Member Member { get; }

            public string TypeName { get; }

            public List<DiagnosticInfo> Diagnostics { get; }

            public bool Report { get; }

            public AttributeData? Decimal { get; }

            public AttributeData? Timestamp { get; }

            public bool UsedDecimal { get; set; }

            public bool UsedTimestamp { get; set; }

            public bool Failed { get; set; }

            public void Fail(DiagnosticDescriptor descriptor, params string[] args)
            {
                Failed = true;
                if (Report)
                {
                    Diagnostics.Add(DiagnosticInfo.Create(descriptor, Member.Location, args));
                }
            }
        }

        private static AvroFieldSpec? MapMember(Member member, string typeName, string? recordNamespace, HashSet<ITypeSymbol> stack, List<DiagnosticInfo> diagnostics, bool report)
        {
            if (!IsValidName(member.Name))
            {
                if (report)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.AvroInvalidName, member.Location, member.Name, "field"));
                }

                return null;
            }

            var context = new MemberContext(member, typeName, recordNamespace, diagnostics, report);
            AvroTypeSpec? spec = Map(member.Type, context, stack);
            if (context.Decimal is not null && !context.UsedDecimal && !context.Failed)
            {
                context.Fail(DiagnosticDescriptors.AvroMisplacedAttribute, member.Name, typeName, "AvroDecimal", "decimal");
            }

            if (context.Timestamp is not null && !context.UsedTimestamp && !context.Failed)
            {
                context.Fail(DiagnosticDescriptors.AvroMisplacedAttribute, member.Name, typeName, "AvroTimestamp", "DateTime, DateTimeOffset or TimeOnly");
            }

            if (context.Local && !context.UsedLocal && !context.Failed)
            {
                context.Fail(DiagnosticDescriptors.AvroMisplacedAttribute, member.Name, typeName, "AvroTimestamp(Local = true)", "DateTime");
            }

            if (context.Fixed is not null && !context.UsedFixed && !context.Failed)
            {
                context.Fail(DiagnosticDescriptors.AvroMisplacedAttribute, member.Name, typeName, "AvroFixed", "byte[], ReadOnlyMemory<byte>, Guid or AvroDuration");
            }

            return context.Failed || spec is null ? null : FieldSchema(member, spec, context);
        }

        private static AvroTypeSpec? Map(ITypeSymbol type, MemberContext context, HashSet<ITypeSymbol> stack)
        {
            string cs = type.ToDisplayString(TypeFormat);
            if (type.IsReferenceType && type.NullableAnnotation == NullableAnnotation.Annotated)
            {
                AvroTypeSpec? inner = Map(type.WithNullableAnnotation(NullableAnnotation.NotAnnotated), context, stack);
                return inner is null ? null : new AvroTypeSpec(AvroTypeKind.Nullable, cs, inner);
            }

            if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
            {
                AvroTypeSpec? inner = Map(nullable.TypeArguments[0], context, stack);
                return inner is null ? null : new AvroTypeSpec(AvroTypeKind.Nullable, cs, inner, IsValueType: true);
            }

            switch (type.SpecialType)
            {
                case SpecialType.System_Boolean:
                    return new AvroTypeSpec(AvroTypeKind.Boolean, cs, IsValueType: true);
                case SpecialType.System_Int32:
                    return new AvroTypeSpec(AvroTypeKind.Int, cs, IsValueType: true);
                case SpecialType.System_Int64:
                    return new AvroTypeSpec(AvroTypeKind.Long, cs, IsValueType: true);
                case SpecialType.System_Single:
                    return new AvroTypeSpec(AvroTypeKind.Float, cs, IsValueType: true);
                case SpecialType.System_Double:
                    return new AvroTypeSpec(AvroTypeKind.Double, cs, IsValueType: true);
                case SpecialType.System_String:
                    return new AvroTypeSpec(AvroTypeKind.String, cs);
                case SpecialType.System_Decimal:
                    return MapDecimal(cs, context);
                case SpecialType.System_DateTime:
                    return MapTimestamp(AvroTypeKind.DateTime, cs, context);
            }

            AvroTypeSpec? fixedOrTime = MapFixedOrTime(type, cs, context);
            if (fixedOrTime is not null || context.Failed)
            {
                return fixedOrTime;
            }

            if (type is IArrayTypeSymbol array)
            {
                if (array.Rank != 1)
                {
                    context.Fail(DiagnosticDescriptors.AvroUnsupportedMemberType, context.Member.Name, context.TypeName, cs);
                    return null;
                }

                if (array.ElementType.SpecialType == SpecialType.System_Byte)
                {
                    return new AvroTypeSpec(AvroTypeKind.ByteArray, cs);
                }

                AvroTypeSpec? item = Map(array.ElementType, context, stack);
                return item is null ? null : new AvroTypeSpec(AvroTypeKind.Array, cs, item);
            }

            if (type is not INamedTypeSymbol named)
            {
                context.Fail(DiagnosticDescriptors.AvroUnsupportedMemberType, context.Member.Name, context.TypeName, cs);
                return null;
            }

            string definition = named.OriginalDefinition.ToDisplayString();
            switch (definition)
            {
                case "System.DateTimeOffset":
                    return MapTimestamp(AvroTypeKind.DateTimeOffset, cs, context);
                case "System.DateOnly":
                    return new AvroTypeSpec(AvroTypeKind.DateOnly, cs, IsValueType: true);
                case "System.Guid":
                    return new AvroTypeSpec(AvroTypeKind.Guid, cs, IsValueType: true);
                case KnownNames.AvroUnion2:
                case KnownNames.AvroUnion3:
                    return MapValueUnion(named, cs, context, stack);
                case "System.ReadOnlyMemory<T>" when named.TypeArguments[0].SpecialType == SpecialType.System_Byte:
                    return new AvroTypeSpec(AvroTypeKind.ReadOnlyMemory, cs, IsValueType: true);
                case "System.Collections.Generic.List<T>":
                case "System.Collections.Generic.IReadOnlyList<T>":
                {
                    AvroTypeSpec? item = Map(named.TypeArguments[0], context, stack);
                    var kind = definition.EndsWith("IReadOnlyList<T>") ? AvroTypeKind.ReadOnlyList : AvroTypeKind.List;
                    return item is null ? null : new AvroTypeSpec(kind, cs, item);
                }

                case "System.Collections.Generic.Dictionary<TKey, TValue>":
                case "System.Collections.Generic.IReadOnlyDictionary<TKey, TValue>":
                {
                    ITypeSymbol key = named.TypeArguments[0];
                    if (key.SpecialType != SpecialType.System_String)
                    {
                        context.Fail(DiagnosticDescriptors.AvroDictionaryKeyNotString, context.Member.Name, context.TypeName, key.ToDisplayString());
                        return null;
                    }

                    AvroTypeSpec? item = Map(named.TypeArguments[1], context, stack);
                    var kind = definition.Contains("IReadOnlyDictionary") ? AvroTypeKind.ReadOnlyDictionary : AvroTypeKind.Dictionary;
                    return item is null ? null : new AvroTypeSpec(kind, cs, item);
                }
            }

            if (named.TypeKind == TypeKind.Enum)
            {
                return MapEnum(named, cs, context);
            }

            if (named.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == KnownNames.AvroUnionAttribute) is { } union)
            {
                return MapUnion(named, union, cs, context, stack);
            }

            bool isAvroRecord = named.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == KnownNames.AvroRecordAttribute);
            if (isAvroRecord)
            {
                return MapRecord(named, cs, context, stack);
            }

            bool isSystem = named.ContainingNamespace?.ToDisplayString() is { } ns && (ns == "System" || ns.StartsWith("System.") || ns.StartsWith("Microsoft."));
            if (named.TypeKind is TypeKind.Class or TypeKind.Struct && !isSystem && named.SpecialType == SpecialType.None)
            {
                context.Fail(DiagnosticDescriptors.AvroNestedTypeNotRecord, context.Member.Name, context.TypeName, named.ToDisplayString());
                return null;
            }

            context.Fail(DiagnosticDescriptors.AvroUnsupportedMemberType, context.Member.Name, context.TypeName, named.ToDisplayString());
            return null;
        }

        private static AvroTypeSpec? MapDecimal(string cs, MemberContext context)
        {
            if (context.Decimal is null)
            {
                context.Fail(DiagnosticDescriptors.AvroDecimalWithoutAttribute, context.Member.Name, context.TypeName);
                return null;
            }

            context.UsedDecimal = true;
            var args = context.Decimal.ConstructorArguments;
            int precision = args.Length > 0 && args[0].Value is int p ? p : 0;
            int scale = args.Length > 1 && args[1].Value is int s ? s : -1;
            if (precision < 1 || precision > 38 || scale < 0 || scale > 28 || scale > precision)
            {
                context.Fail(DiagnosticDescriptors.AvroInvalidDecimal, context.Member.Name, context.TypeName, precision.ToString(), scale.ToString());
                return null;
            }

            return new AvroTypeSpec(AvroTypeKind.Decimal, cs, Precision: precision, Scale: scale, IsValueType: true);
        }

        private static AvroTypeSpec MapTimestamp(AvroTypeKind kind, string cs, MemberContext context)
        {
            bool micros = false;
            if (context.Timestamp is not null)
            {
                context.UsedTimestamp = true;
                micros = context.Timestamp.ConstructorArguments.Length > 0 && context.Timestamp.ConstructorArguments[0].Value is int v && v == 1;
            }

            bool local = context.Local && kind == AvroTypeKind.DateTime;
            context.UsedLocal |= local;
            return new AvroTypeSpec(kind, cs, Micros: micros, IsValueType: true, Local: local);
        }

        private static AvroTypeSpec? MapEnum(INamedTypeSymbol type, string cs, MemberContext context)
        {
            var symbols = new List<string>();
            var writeIndexes = new List<int>();
            var seenValues = new HashSet<object>();
            foreach (var field in type.GetMembers().OfType<IFieldSymbol>())
            {
                if (!field.HasConstantValue)
                {
                    continue;
                }

                if (!IsValidName(field.Name))
                {
                    context.Fail(DiagnosticDescriptors.AvroInvalidName, field.Name, "enum symbol");
                    return null;
                }

                if (field.ConstantValue is { } value && seenValues.Add(value))
                {
                    writeIndexes.Add(symbols.Count);
                }

                symbols.Add(field.Name);
            }

            if (symbols.Count == 0 || !IsValidName(type.Name))
            {
                context.Fail(DiagnosticDescriptors.AvroUnsupportedMemberType, context.Member.Name, context.TypeName, type.ToDisplayString());
                return null;
            }

            string? ns = DefaultNamespace(type);
            if (ns is not null && !IsValidNamespace(ns))
            {
                context.Fail(DiagnosticDescriptors.AvroInvalidName, ns, "namespace");
                return null;
            }

            string? enumDefault = null;
            if (type.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == KnownNames.AvroEnumDefaultAttribute) is { } attribute)
            {
                enumDefault = attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as string ?? string.Empty : string.Empty;
                if (!symbols.Contains(enumDefault))
                {
                    context.Fail(
                        DiagnosticDescriptors.AvroInvalidEnumDefault,
                        context.Member.Name,
                        context.TypeName,
                        type.ToDisplayString(),
                        enumDefault,
                        string.Join(", ", symbols),
                        type.Name + "." + symbols[0]);
                    return null;
                }
            }

            return new AvroTypeSpec(
                AvroTypeKind.Enum,
                cs,
                AvroFullName: FullName(type.Name, ns),
                Symbols: symbols.ToEquatableArray(),
                EnumWriteIndexes: writeIndexes.ToEquatableArray(),
                IsValueType: true,
                EnumDefault: enumDefault);
        }

        private static AvroTypeSpec? MapRecord(INamedTypeSymbol type, string cs, MemberContext context, HashSet<ITypeSymbol> stack)
        {
            var (name, ns) = AvroNames(type);
            string fullName = FullName(name, ns);
            if (type.TypeParameters.Length > 0)
            {
                context.Fail(DiagnosticDescriptors.AvroUnsupportedMemberType, context.Member.Name, context.TypeName, type.ToDisplayString());
                return null;
            }

            var definition = type.WithNullableAnnotation(NullableAnnotation.NotAnnotated);
            if (stack.Contains(definition))
            {
                return new AvroTypeSpec(AvroTypeKind.Record, cs, AvroFullName: fullName, IsReference: true, IsValueType: type.IsValueType);
            }

            stack.Add(definition);
            var fields = new List<AvroFieldSpec>();
            var ignored = new List<DiagnosticInfo>();
            int minSize = 0;
            foreach (var member in GetMembers(type, out _))
            {
                AvroFieldSpec? field = MapMember(member, type.Name, ns, stack, ignored, report: false);
                if (field is null)
                {
                    // The nested type reports its own diagnostics; this type cannot be generated without it.
                    context.Failed = true;
                    stack.Remove(definition);
                    return null;
                }

                minSize += field.Type.MinSize;
                fields.Add(field);
            }

            stack.Remove(definition);
            var (doc, aliases) = RecordDocAndAliases(type, ns, ignored, null, report: false);
            if (aliases is null)
            {
                context.Failed = true;
                return null;
            }

            return new AvroTypeSpec(
                AvroTypeKind.Record,
                cs,
                AvroFullName: fullName,
                Fields: fields.ToEquatableArray(),
                IsValueType: type.IsValueType,
                MinSize: minSize > 0 ? 1 : 0,
                Doc: doc,
                Aliases: aliases.ToEquatableArray());
        }
    }
}
