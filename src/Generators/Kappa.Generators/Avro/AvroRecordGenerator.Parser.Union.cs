using System.Collections.Generic;
using System.Linq;
using Kappa.Generators.Avro.Model;
using Kappa.Generators.Common;
using Microsoft.CodeAnalysis;

namespace Kappa.Generators.Avro;

public sealed partial class AvroRecordGenerator
{
    /// <summary>[AvroUnion] base types: a union of the derived [AvroRecord] types the attribute lists, in its order.</summary>
    internal static partial class Parser
    {
        private static AvroTypeSpec? MapUnion(INamedTypeSymbol type, AttributeData attribute, string cs, MemberContext context, HashSet<ITypeSymbol> stack)
        {
            string unionName = type.ToDisplayString();
            var branchTypes = new List<INamedTypeSymbol>();
            foreach (TypedConstant argument in attribute.ConstructorArguments)
            {
                IEnumerable<TypedConstant> values = argument.Kind == TypedConstantKind.Array ? argument.Values : new[] { argument };
                foreach (TypedConstant value in values)
                {
                    if (value.Value is not INamedTypeSymbol branch)
                    {
                        return FailUnion(context, unionName, "a branch is not a type");
                    }

                    if (branchTypes.Contains(branch, SymbolEqualityComparer.Default))
                    {
                        return FailUnion(context, unionName, $"'{branch.ToDisplayString()}' is listed twice");
                    }

                    branchTypes.Add(branch);
                }
            }

            if (branchTypes.Count == 0)
            {
                return FailUnion(context, unionName, "[AvroUnion] lists no branch types; list the derived [AvroRecord] types, e.g. [AvroUnion(typeof(CardPayment), typeof(CashPayment))]");
            }

            if (!type.IsAbstract)
            {
                return FailUnion(context, unionName, "the union type must be abstract (or an interface), so every value is one of the branches");
            }

            var branches = new List<AvroTypeSpec>();
            var depths = new List<int>();
            foreach (INamedTypeSymbol branch in branchTypes)
            {
                if (!DerivesFrom(branch, type))
                {
                    return FailUnion(context, unionName, $"the branch '{branch.ToDisplayString()}' does not derive from it");
                }

                if (branch.IsAbstract || !branch.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == KnownNames.AvroRecordAttribute))
                {
                    return FailUnion(context, unionName, $"the branch '{branch.ToDisplayString()}' is not a concrete [AvroRecord] type");
                }

                AvroTypeSpec? spec = MapRecord(branch, branch.ToDisplayString(TypeFormat), context, stack);
                if (spec is null)
                {
                    return null;
                }

                branches.Add(spec);
                int depth = 0;
                for (INamedTypeSymbol? b = branch.BaseType; b is not null; b = b.BaseType)
                {
                    depth++;
                }

                depths.Add(depth);
            }

            // The encoder tests the most derived branches first, so a branch deriving from another is never taken for it.
            var order = Enumerable.Range(0, branches.Count).OrderByDescending(i => depths[i]).ThenBy(i => i).ToList();
            return new AvroTypeSpec(
                AvroTypeKind.Union,
                cs,
                Branches: branches.ToEquatableArray(),
                BranchTestOrder: order.ToEquatableArray(),
                IsValueType: false);
        }

        private static AvroTypeSpec? FailUnion(MemberContext context, string unionName, string reason)
        {
            context.Fail(DiagnosticDescriptors.AvroInvalidUnion, context.Member.Name, context.TypeName, unionName, reason);
            return null;
        }

        private static bool DerivesFrom(INamedTypeSymbol branch, INamedTypeSymbol union)
        {
            if (union.TypeKind == TypeKind.Interface)
            {
                return branch.AllInterfaces.Contains(union, SymbolEqualityComparer.Default);
            }

            for (INamedTypeSymbol? b = branch.BaseType; b is not null; b = b.BaseType)
            {
                if (SymbolEqualityComparer.Default.Equals(b, union))
                {
                    return true;
                }
            }

            return false;
        }
    
        /// <summary>
        /// <c>Kappa.AvroUnion&lt;T1, T2[, T3]&gt;</c>: each type argument is a branch, mapped like a member type. Branches may
        /// not be nullable or unions, and must be different Avro types (the spec allows one schema per type in a union,
        /// named types by name).
        /// </summary>
        private static AvroTypeSpec? MapValueUnion(INamedTypeSymbol type, string cs, MemberContext context, HashSet<ITypeSymbol> stack)
        {
            var branches = new List<AvroTypeSpec>();
            var keys = new List<string>();
            foreach (ITypeSymbol argument in type.TypeArguments)
            {
                AvroTypeSpec? branch = Map(argument, context, stack);
                if (branch is null)
                {
                    return null;
                }

                if (branch.Kind is AvroTypeKind.Nullable or AvroTypeKind.Union or AvroTypeKind.ValueUnion)
                {
                    return FailUnion(context, type.ToDisplayString(), $"the branch '{argument.ToDisplayString()}' is nullable or a union; Avro unions cannot nest, so make the whole member nullable instead");
                }

                string key = BranchKey(branch);
                if (keys.Contains(key))
                {
                    return FailUnion(context, type.ToDisplayString(), $"two branches are the Avro type {key}, and a union may hold each type once");
                }

                keys.Add(key);
                branches.Add(branch);
            }

            return new AvroTypeSpec(AvroTypeKind.ValueUnion, cs, Branches: branches.ToEquatableArray(), IsValueType: true);
        }

        /// <summary>What a union branch is to Avro: its underlying type name, or the full name of a named type.</summary>
        private static string BranchKey(AvroTypeSpec branch) => branch.Kind switch
        {
            AvroTypeKind.Boolean => "boolean",
            AvroTypeKind.Int or AvroTypeKind.DateOnly => "int",
            AvroTypeKind.TimeOnly => branch.Micros ? "long" : "int",
            AvroTypeKind.Long or AvroTypeKind.DateTime or AvroTypeKind.DateTimeOffset => "long",
            AvroTypeKind.Float => "float",
            AvroTypeKind.Double => "double",
            AvroTypeKind.String => "string",
            AvroTypeKind.Guid when branch.FixedSize == 0 => "string",
            AvroTypeKind.ByteArray or AvroTypeKind.ReadOnlyMemory when branch.FixedSize == 0 => "bytes",
            AvroTypeKind.Decimal => "bytes",
            AvroTypeKind.Array or AvroTypeKind.List or AvroTypeKind.ReadOnlyList => "array",
            AvroTypeKind.Dictionary or AvroTypeKind.ReadOnlyDictionary => "map",
            _ => branch.AvroFullName ?? branch.Kind.ToString(),
        };
    }
}
