using System.Collections.Generic;
using System.Linq;
using Kappa.Analyzers.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Kappa.Analyzers.Determinism;

/// <summary>
/// KAPPA107 (unordered iteration), KAPPA113 (floating-point accumulation over unordered sources) and KAPPA114 (reflection
/// order): follows a sequence from where it is produced to what consumes it, through order-preserving LINQ operators,
/// and reports only when its order can reach something that keeps it.
/// </summary>
internal sealed partial class MethodSummaryBuilder
{
    private static readonly HashSet<string> UnorderedTypes = new()
    {
        "System.Collections.Generic.HashSet`1",
        "System.Collections.Generic.Dictionary`2",
        "System.Collections.Generic.Dictionary`2+KeyCollection",
        "System.Collections.Generic.Dictionary`2+ValueCollection",
        "System.Collections.Generic.ISet`1",
        "System.Collections.Generic.IReadOnlySet`1",
        "System.Collections.Concurrent.ConcurrentDictionary`2",
        "System.Collections.Immutable.ImmutableHashSet`1",
        "System.Collections.Immutable.ImmutableDictionary`2",
        "System.Collections.Immutable.IImmutableSet`1",
        "System.Collections.Frozen.FrozenSet`1",
        "System.Collections.Frozen.FrozenDictionary`2",
        "System.Collections.Frozen.FrozenDictionary`2+KeyCollection",
        "System.Collections.Frozen.FrozenDictionary`2+ValueCollection",
        "System.Collections.Hashtable",
        "System.Collections.Specialized.HybridDictionary",
        "System.Collections.Specialized.StringDictionary",
    };

    private static readonly HashSet<string> SortedTypes = new()
    {
        "System.Collections.Generic.SortedSet`1",
        "System.Collections.Generic.SortedDictionary`2",
        "System.Collections.Generic.SortedList`2",
        "System.Collections.Immutable.ImmutableSortedSet`1",
        "System.Collections.Immutable.ImmutableSortedDictionary`2",
        "System.Collections.SortedList",
    };

    private static readonly HashSet<string> SequenceOperatorTypes = new()
    {
        "System.Linq.Enumerable", "System.Linq.ParallelEnumerable", "System.Linq.Queryable", "System.Linq.AsyncEnumerable",
        "System.Collections.Immutable.ImmutableArray", "System.Collections.Immutable.ImmutableList",
        "System.Collections.Immutable.ImmutableHashSet", "System.Collections.Immutable.ImmutableDictionary",
        "System.Collections.Immutable.ImmutableSortedSet", "System.Collections.Immutable.ImmutableSortedDictionary",
        "System.Collections.Frozen.FrozenSet", "System.Collections.Frozen.FrozenDictionary",
    };

    private static readonly HashSet<string> Restoring = new()
    {
        "OrderBy", "OrderByDescending", "Order", "OrderDescending", "ToImmutableSortedSet", "ToImmutableSortedDictionary",
    };

    private static readonly HashSet<string> OrderInsensitive = new()
    {
        "Count", "LongCount", "Any", "All", "Contains", "Min", "Max", "Sum", "Average", "ToHashSet", "ToDictionary",
        "ToFrozenSet", "ToFrozenDictionary", "ToImmutableHashSet", "ToImmutableDictionary", "CountAsync", "AnyAsync", "AllAsync",
        "ContainsAsync", "MinAsync", "MaxAsync", "SumAsync", "AverageAsync",
    };

    private static readonly HashSet<string> OrderPreserving = new()
    {
        "Select", "Where", "SelectMany", "Cast", "OfType", "Distinct", "DistinctBy", "Skip", "Take", "SkipWhile", "TakeWhile",
        "SkipLast", "TakeLast", "Concat", "Append", "Prepend", "Zip", "AsEnumerable", "Reverse", "DefaultIfEmpty", "Union",
        "UnionBy", "Intersect", "IntersectBy", "Except", "ExceptBy", "GroupBy", "Chunk", "Index", "Join", "GroupJoin",
        "AsParallel", "AsOrdered", "AsSequential", "AsUnordered", "WithDegreeOfParallelism", "WithCancellation", "AsQueryable",
    };

    /// <summary>Reports <paramref name="operation"/> when it is an unordered collection whose order flows into an output.</summary>
    private void CheckUnorderedUse(IOperation operation)
    {
        if (CheckInterfaceUse(operation))
        {
            return; // storage behind an interface: decided by what it holds
        }

        ITypeSymbol? unorderedType = UnorderedSourceType(operation);
        if (unorderedType is null)
        {
            return;
        }

        switch (Classify(operation))
        {
            case Flow.Reaches:
                Add(DiagnosticDescriptors.UnorderedIteration, operation, Describe(operation, unorderedType), string.Empty);
                break;
            case Flow.FloatAccumulate:
                Add(DiagnosticDescriptors.FloatingPoint, operation, "Summing floating-point values of " + Describe(operation, unorderedType), " (the unspecified order changes the rounding)");
                break;
        }
    }

    /// <summary>Reflection results: true unless the order is re-established or does not matter downstream.</summary>
    private bool OrderReachesOutput(IOperation operation) => Classify(operation) is not (Flow.Restored or Flow.Insensitive);

    private ITypeSymbol? UnorderedSourceType(IOperation operation)
    {
        if (operation.Type is { } type && IsUnordered(type))
        {
            return type;
        }

        if (operation is IPropertyReferenceOperation { Property.Name: "Keys" or "Values", Instance.Type: { } owner } && IsUnordered(owner))
        {
            return owner;
        }

        return null;
    }

    private bool IsUnordered(ITypeSymbol type)
    {
        if (type.SpecialType != SpecialType.None || type.TypeKind is TypeKind.Enum or TypeKind.Delegate or TypeKind.Pointer or TypeKind.TypeParameter)
        {
            return false;
        }

        if (_state.UnorderedTypes.TryGetValue(type, out bool known))
        {
            return known;
        }

        bool unordered = ComputeIsUnordered(type);
        _state.UnorderedTypes.TryAdd(type, unordered);
        return unordered;
    }

    private bool ComputeIsUnordered(ITypeSymbol type)
    {
        if (IsConcurrentDrainable(type))
        {
            return false; // KAPPA106 reports those
        }

        for (ITypeSymbol? t = type; t is not null; t = t.BaseType)
        {
            if (t is INamedTypeSymbol && UnorderedTypes.Contains(Names.FullName(t)))
            {
                return true;
            }
        }

        return false;
    }

    private bool IsOrderFreeSink(ITypeSymbol type)
    {
        for (ITypeSymbol? t = type; t is not null; t = t.BaseType)
        {
            string name = Names.FullName(t);
            if (UnorderedTypes.Contains(name) || SortedTypes.Contains(name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A parameter that takes a plain sequence (IEnumerable, ICollection, IReadOnlyCollection): the callee iterates it.
    /// Dictionary and set parameters (IReadOnlyDictionary, ISet, ...) are lookups and are not counted.
    /// </summary>
    private static bool IsSequenceParameter(ITypeSymbol? type) =>
        type is not null && (type.SpecialType == SpecialType.System_Collections_IEnumerable
            || type.OriginalDefinition.SpecialType is SpecialType.System_Collections_Generic_IEnumerable_T
                or SpecialType.System_Collections_Generic_ICollection_T or SpecialType.System_Collections_Generic_IReadOnlyCollection_T
                or SpecialType.System_Collections_Generic_IList_T or SpecialType.System_Collections_Generic_IReadOnlyList_T
            || type.OriginalDefinition.ToDisplayString() == "System.Collections.Generic.IAsyncEnumerable<T>");

    private Flow Classify(IOperation value)
    {
        IOperation current = value;
        for (int depth = 0; depth < 64; depth++)
        {
            IOperation? parent = current.Parent;
            while (parent is IConversionOperation or IParenthesizedOperation)
            {
                current = parent;
                parent = parent.Parent;
            }

            switch (parent)
            {
                case IForEachLoopOperation:
                    return Flow.Reaches;
                case ISpreadOperation spread:
                    return spread.Parent?.Type is { } target && IsOrderFreeSink(target) ? Flow.Insensitive : Flow.Reaches;
                case IInvocationOperation call when call.Instance == current:
                    return call.TargetMethod.Name is "GetEnumerator" or "CopyTo" or "ToArray" or "ToList" or "ToImmutableArray" or "ToImmutableList"
                        ? Flow.Reaches
                        : Flow.NotIteration;
                case IArgumentOperation argument:
                    switch (argument.Parent)
                    {
                        case IInvocationOperation invocation:
                            IMethodSymbol method = invocation.TargetMethod;
                            if (argument.Parameter?.Ordinal == 0 && method.IsStatic && method.ContainingType is { } container
                                && SequenceOperatorTypes.Contains(Names.FullName(container)))
                            {
                                if (Restoring.Contains(method.Name))
                                {
                                    return Flow.Restored;
                                }

                                if (OrderInsensitive.Contains(method.Name))
                                {
                                    bool floating = method.Name is "Sum" or "Average" or "SumAsync" or "AverageAsync"
                                        && ElementResult(invocation.Type) is SpecialType.System_Double or SpecialType.System_Single;
                                    return floating ? Flow.FloatAccumulate : Flow.Insensitive;
                                }

                                if (OrderPreserving.Contains(method.Name))
                                {
                                    current = invocation;
                                    continue;
                                }

                                return Flow.Reaches;
                            }

                            if (invocation.Instance?.Type is { } receiver && IsOrderFreeSink(receiver))
                            {
                                return Flow.Insensitive;
                            }

                            return IsSequenceParameter(argument.Parameter?.Type) ? Flow.Reaches : Flow.NotIteration;
                        case IObjectCreationOperation creation:
                            if (creation.Type is { } created && IsOrderFreeSink(created))
                            {
                                return Flow.Insensitive;
                            }

                            return IsSequenceParameter(argument.Parameter?.Type) ? Flow.Reaches : Flow.NotIteration;
                        default:
                            return Flow.NotIteration;
                    }

                default:
                    return Flow.Unknown;
            }
        }

        return Flow.Unknown;
    }

    private static SpecialType ElementResult(ITypeSymbol? type)
    {
        if (type is INamedTypeSymbol { IsGenericType: true } named && named.TypeArguments.Length == 1
            && (named.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T || named.Name is "Task" or "ValueTask"))
        {
            return ElementResult(named.TypeArguments[0]);
        }

        return type?.SpecialType ?? SpecialType.None;
    }

    private static string Describe(IOperation operation, ITypeSymbol type)
    {
        string text = operation.Syntax.ToString();
        if (text.Length > 40)
        {
            text = text.Substring(0, 37) + "...";
        }

        return "'" + text + "' (" + Display(type) + ")";
    }
}
