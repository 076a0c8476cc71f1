using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Kappa.Generators.Common;
using Kappa.Generators.State.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Kappa.Generators.State;

public sealed partial class ProcessorStateGenerator
{
    /// <summary>Symbols to model: one [ProcessorState] type to a symbol-free <see cref="StateDeclarationSpec"/>.</summary>
    internal static class Parser
    {
        private static readonly SymbolDisplayFormat AnnotatedFormat =
            SymbolDisplayFormat.FullyQualifiedFormat.AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

        private static readonly SymbolDisplayFormat NameFormat =
            SymbolDisplayFormat.FullyQualifiedFormat.WithGlobalNamespaceStyle(SymbolDisplayGlobalNamespaceStyle.Omitted);

        public static StateDeclarationResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            var symbol = (INamedTypeSymbol)context.TargetSymbol;
            var diagnostics = new List<DiagnosticInfo>();
            Location? location = context.TargetNode is TypeDeclarationSyntax tds ? tds.Identifier.GetLocation() : context.TargetNode.GetLocation();
            string fullName = symbol.ToDisplayString(NameFormat);

            if (!IsPartial(symbol))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.StateTypeNotPartial, location, fullName, string.Empty));
                return new StateDeclarationResult(null, diagnostics.ToEquatableArray());
            }

            for (INamedTypeSymbol? outer = symbol.ContainingType; outer is not null; outer = outer.ContainingType)
            {
                if (!IsPartial(outer))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.StateTypeNotPartial, location, fullName, $" (and so must its containing type '{outer.Name}')"));
                    return new StateDeclarationResult(null, diagnostics.ToEquatableArray());
                }
            }

            string? unsupported = symbol switch
            {
                { IsGenericType: true } => "generic types are not supported (the state schema must be one fixed shape); declare a non-generic type per state",
                { IsRefLikeType: true } => "ref structs cannot be stored in a state store",
                { IsStatic: true } => "static classes have no instances",
                { IsAbstract: true, TypeKind: TypeKind.Class } => "abstract classes cannot be created when state is restored",
                { TypeKind: not (TypeKind.Class or TypeKind.Struct) } => "only classes and structs can be state",
                _ => null,
            };
            if (unsupported is null)
            {
                for (INamedTypeSymbol? outer = symbol.ContainingType; outer is not null; outer = outer.ContainingType)
                {
                    if (outer.IsGenericType)
                    {
                        unsupported = $"it is nested in generic type '{outer.Name}'";
                    }
                }
            }

            if (unsupported is not null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.StateTypeNotSupported, location, fullName, unsupported));
                return new StateDeclarationResult(null, diagnostics.ToEquatableArray());
            }

            bool fatal = false;
            if (symbol.TypeKind == TypeKind.Class
                && !symbol.InstanceConstructors.Any(c => c.Parameters.Length == 0 && c.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.StateTypeNeedsConstructor, location, fullName, symbol.Name));
                fatal = true;
            }

            var members = new List<StateMemberSpec>();
            foreach (ISymbol member in OrderedMembers(symbol))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (member.IsStatic || member.IsImplicitlyDeclared || member.DeclaredAccessibility != Accessibility.Public)
                {
                    continue;
                }

                ITypeSymbol type;
                Location? memberLocation = member.Locations.FirstOrDefault();
                if (member is IFieldSymbol field)
                {
                    if (field.IsConst)
                    {
                        continue;
                    }

                    if (field.IsReadOnly)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.StateFieldNotSettable, memberLocation, fullName, field.Name, "a readonly field"));
                        fatal = true;
                        continue;
                    }

                    type = field.Type;
                }
                else if (member is IPropertySymbol property)
                {
                    if (property.IsIndexer || property.GetMethod is null || property.GetMethod.DeclaredAccessibility != Accessibility.Public)
                    {
                        continue;
                    }

                    if (property.SetMethod is null)
                    {
                        // A get-only property is computed from other members; it is not state.
                        continue;
                    }

                    if (property.SetMethod.IsInitOnly || property.SetMethod.DeclaredAccessibility != Accessibility.Public)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(
                            DiagnosticDescriptors.StateFieldNotSettable,
                            memberLocation,
                            fullName,
                            property.Name,
                            property.SetMethod.IsInitOnly ? "an init-only property" : "a property without a public setter"));
                        fatal = true;
                        continue;
                    }

                    if (property.ReturnsByRef || property.ReturnsByRefReadonly)
                    {
                        continue;
                    }

                    type = property.Type;
                }
                else
                {
                    continue;
                }

                if (ContainsErrorType(type))
                {
                    // The compiler already reports the unknown type; do not add a second error.
                    fatal = true;
                    continue;
                }

                StateValueSpec? spec = BuildValue(type, out string? reason);
                if (spec is null)
                {
                    diagnostics.Add(DiagnosticInfo.Create(
                        DiagnosticDescriptors.StateFieldTypeNotSupported,
                        memberLocation,
                        fullName,
                        member.Name,
                        type.ToDisplayString(),
                        reason ?? "unsupported type"));
                    fatal = true;
                    continue;
                }

                members.Add(new StateMemberSpec(member.Name, spec, LocationInfo.From(memberLocation)));
            }

            var migrations = new List<StateMigrationSpec>();
            foreach (IMethodSymbol method in symbol.GetMembers().OfType<IMethodSymbol>())
            {
                AttributeData? attribute = method.GetAttributes()
                    .FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == StateKnownNames.StateMigrationAttribute);
                if (attribute is null)
                {
                    continue;
                }

                Location? methodLocation = method.Locations.FirstOrDefault();
                string? fieldName = attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as string : null;
                string? problem = null;
                StateValueSpec? oldType = null;
                if (string.IsNullOrEmpty(fieldName))
                {
                    problem = "[StateMigration] needs the name of the removed or retyped field";
                }
                else if (!method.IsStatic || !method.ReturnsVoid || method.IsGenericMethod || method.Parameters.Length != 2
                    || method.Parameters[0].RefKind != RefKind.Ref
                    || !SymbolEqualityComparer.Default.Equals(method.Parameters[0].Type, symbol)
                    || method.Parameters[1].RefKind != RefKind.None)
                {
                    problem = $"the signature must be 'static void {method.Name}(ref {symbol.Name} state, OldType oldValue)'";
                }
                else
                {
                    oldType = BuildValue(method.Parameters[1].Type, out string? reason);
                    if (oldType is null)
                    {
                        problem = $"the old value's type '{method.Parameters[1].Type.ToDisplayString()}' is not a supported state type ({reason})";
                    }
                }

                if (problem is not null)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.StateMigrationInvalid, methodLocation, fullName, method.Name, problem));
                    fatal = true;
                    continue;
                }

                migrations.Add(new StateMigrationSpec(fieldName!, method.Name, oldType!, LocationInfo.From(methodLocation)));
            }

            if (fatal)
            {
                return new StateDeclarationResult(null, diagnostics.ToEquatableArray());
            }

            var containing = new List<string>();
            for (INamedTypeSymbol? outer = symbol.ContainingType; outer is not null; outer = outer.ContainingType)
            {
                containing.Insert(0, $"partial {Keyword(outer)} {outer.Name}");
            }

            string ns = symbol.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : string.Empty;
            var declaration = new StateDeclarationSpec(
                ns,
                symbol.Name,
                Keyword(symbol),
                containing.ToEquatableArray(),
                fullName,
                new TypeRef(symbol.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), symbol.IsValueType),
                members.ToEquatableArray(),
                migrations.OrderBy(m => m.FieldName, System.StringComparer.Ordinal).ToEquatableArray(),
                LocationInfo.From(location));
            return new StateDeclarationResult(declaration, diagnostics.ToEquatableArray());
        }

        private static bool ContainsErrorType(ITypeSymbol type) => type switch
        {
            { TypeKind: TypeKind.Error } => true,
            IArrayTypeSymbol array => ContainsErrorType(array.ElementType),
            INamedTypeSymbol named => named.TypeArguments.Any(ContainsErrorType),
            _ => false,
        };

        private static bool IsPartial(INamedTypeSymbol symbol) =>
            symbol.DeclaringSyntaxReferences.Length > 0
            && symbol.DeclaringSyntaxReferences.All(r => r.GetSyntax() is TypeDeclarationSyntax t && t.Modifiers.Any(SyntaxKind.PartialKeyword));

        private static string Keyword(INamedTypeSymbol symbol) => (symbol.IsRecord, symbol.TypeKind) switch
        {
            (true, TypeKind.Struct) => "record struct",
            (true, _) => "record",
            (false, TypeKind.Struct) => "struct",
            (false, TypeKind.Interface) => "interface",
            _ => "class",
        };

        /// <summary>Members in source order (file path, then position), so field numbers do not depend on partial-file order quirks.</summary>
        private static IEnumerable<ISymbol> OrderedMembers(INamedTypeSymbol symbol) =>
            symbol.GetMembers()
                .Where(m => m is IFieldSymbol or IPropertySymbol)
                .Select(m => (Member: m, Location: m.Locations.FirstOrDefault()))
                .OrderBy(x => x.Location?.SourceTree?.FilePath ?? string.Empty, System.StringComparer.Ordinal)
                .ThenBy(x => x.Location?.SourceSpan.Start ?? 0)
                .Select(x => x.Member);

        /// <summary>The spec of a supported type, or null with the reason.</summary>
        public static StateValueSpec? BuildValue(ITypeSymbol type, out string? reason)
        {
            reason = null;
            var typeRef = new TypeRef(type.ToDisplayString(AnnotatedFormat), type.IsValueType);
            StateValueSpec Simple(StateValueKind kind, string canonical) => new(kind, typeRef, canonical, !type.IsValueType, null);

            switch (type.SpecialType)
            {
                case SpecialType.System_Boolean: return Simple(StateValueKind.Boolean, "bool");
                case SpecialType.System_Byte: return Simple(StateValueKind.Byte, "byte");
                case SpecialType.System_SByte: return Simple(StateValueKind.SByte, "sbyte");
                case SpecialType.System_Int16: return Simple(StateValueKind.Int16, "short");
                case SpecialType.System_UInt16: return Simple(StateValueKind.UInt16, "ushort");
                case SpecialType.System_Int32: return Simple(StateValueKind.Int32, "int");
                case SpecialType.System_UInt32: return Simple(StateValueKind.UInt32, "uint");
                case SpecialType.System_Int64: return Simple(StateValueKind.Int64, "long");
                case SpecialType.System_UInt64: return Simple(StateValueKind.UInt64, "ulong");
                case SpecialType.System_Single: return Simple(StateValueKind.Single, "float");
                case SpecialType.System_Double: return Simple(StateValueKind.Double, "double");
                case SpecialType.System_Decimal: return Simple(StateValueKind.Decimal, "decimal");
                case SpecialType.System_String: return Simple(StateValueKind.String, "string");
                case SpecialType.System_DateTime:
                    reason = "DateTime carries an ambiguous Kind; use DateTimeOffset";
                    return null;
            }

            if (type is IArrayTypeSymbol array)
            {
                if (array.Rank != 1)
                {
                    reason = "only one-dimensional arrays are supported";
                    return null;
                }

                StateValueSpec? element = BuildValue(array.ElementType, out reason);
                return element is null ? null : new StateValueSpec(StateValueKind.Array, typeRef, element.Canonical + "[]", true, element);
            }

            if (type is not INamedTypeSymbol named)
            {
                reason = "type parameters, pointers and dynamic have no fixed state shape";
                return null;
            }

            if (named.TypeKind == TypeKind.Enum && named.EnumUnderlyingType is { } underlying)
            {
                StateValueSpec? u = BuildValue(underlying, out reason);
                return u is null ? null : new StateValueSpec(StateValueKind.Enum, typeRef, "enum " + named.ToDisplayString(NameFormat), false, u);
            }

            string definition = named.OriginalDefinition.ToDisplayString(NameFormat);
            switch (definition)
            {
                case "System.DateTimeOffset": return Simple(StateValueKind.DateTimeOffset, "DateTimeOffset");
                case "System.TimeSpan": return Simple(StateValueKind.TimeSpan, "TimeSpan");
                case "System.Guid": return Simple(StateValueKind.Guid, "Guid");
                case "System.Nullable<T>":
                    {
                        StateValueSpec? inner = BuildValue(named.TypeArguments[0], out reason);
                        return inner is null ? null : new StateValueSpec(StateValueKind.Nullable, typeRef, inner.Canonical + "?", false, inner);
                    }

                case "System.Collections.Generic.List<T>":
                    {
                        StateValueSpec? element = BuildValue(named.TypeArguments[0], out reason);
                        return element is null ? null : new StateValueSpec(StateValueKind.List, typeRef, "List<" + element.Canonical + ">", true, element);
                    }

                case "System.Collections.Generic.Dictionary<TKey, TValue>":
                    {
                        if (named.TypeArguments[0].SpecialType != SpecialType.System_String)
                        {
                            reason = "dictionary keys must be string (written in ordinal key order)";
                            return null;
                        }

                        StateValueSpec? element = BuildValue(named.TypeArguments[1], out reason);
                        return element is null ? null : new StateValueSpec(StateValueKind.Dictionary, typeRef, "Dictionary<string," + element.Canonical + ">", true, element);
                    }
            }

            if (named.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == KnownNames.ProcessorStateAttribute))
            {
                return new StateValueSpec(StateValueKind.State, typeRef, "state " + named.ToDisplayString(NameFormat), !named.IsValueType, null);
            }

            reason = named.TypeKind == TypeKind.Interface || definition.StartsWith("System.Collections", System.StringComparison.Ordinal)
                ? "use List<T>, T[] or Dictionary<string, T> (collections with a defined order)"
                : "a custom type must be marked [ProcessorState] itself";
            return null;
        }
    }
}
