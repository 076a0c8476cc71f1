using System.Collections.Generic;
using System.Linq;
using Kappa.Analyzers.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Kappa.Analyzers.Determinism;

/// <summary>The rules whose verdict depends on arguments, receivers or how a value is used.</summary>
internal sealed partial class MethodSummaryBuilder
{
    private const int ContinueOnCapturedContext = 1; // System.Threading.Tasks.ConfigureAwaitOptions.ContinueOnCapturedContext

    private static readonly HashSet<string> CultureSensitiveTypes = new()
    {
        "System.Int16", "System.Int32", "System.Int64", "System.UInt16", "System.UInt32", "System.UInt64", "System.Byte", "System.SByte",
        "System.Single", "System.Double", "System.Decimal", "System.Half", "System.Int128", "System.UInt128", "System.IntPtr", "System.UIntPtr",
        "System.Numerics.BigInteger", "System.Numerics.Complex", "System.DateTime", "System.DateTimeOffset", "System.TimeSpan",
        "System.DateOnly", "System.TimeOnly",
    };

    private static readonly HashSet<string> CultureCandidateNames = new()
    {
        "ToString", "Parse", "TryParse", "TryFormat", "Format", "ToUpper", "ToLower", "Compare", "CompareTo", "StartsWith",
        "EndsWith", "IndexOf", "LastIndexOf", "AppendFormat", "ConvertTimeToUtc", "OrderBy", "OrderByDescending", "ThenBy",
        "ThenByDescending", "Order", "OrderDescending", "Sort",
    };

    private static readonly HashSet<string> InvariantDateFormats = new() { "o", "O", "r", "R", "s", "u" };

    private static readonly HashSet<string> CollectionMutators = new()
    {
        "Add", "AddRange", "Remove", "RemoveAll", "RemoveAt", "RemoveRange", "RemoveWhere", "Clear", "Insert", "InsertRange",
        "TryAdd", "TryRemove", "TryUpdate", "AddOrUpdate", "GetOrAdd", "Enqueue", "Dequeue", "TryDequeue", "Push", "Pop",
        "TryPop", "TryTake", "Sort", "Reverse", "UnionWith", "IntersectWith", "ExceptWith", "SymmetricExceptWith", "Set",
        "EnsureCapacity", "TrimExcess",
    };

    private void CheckInvocationRules(IInvocationOperation invocation)
    {
        IMethodSymbol method = invocation.TargetMethod;
        string typeName = method.ContainingType is { } containing ? Names.FullName(containing) : string.Empty;
        string name = method.Name;

        // KAPPA105: ConfigureAwait that may resume off the captured context.
        if (name == "ConfigureAwait")
        {
            CheckConfigureAwait(invocation);
        }

        // KAPPA105: AsParallel without AsOrdered downstream.
        if (name == "AsParallel" && typeName == "System.Linq.ParallelEnumerable" && !HasAsOrderedDownstream(invocation))
        {
            Add(DiagnosticDescriptors.Concurrency, invocation, "AsParallel() without AsOrdered()", string.Empty);
        }

        // KAPPA108: hash codes, except inside a GetHashCode implementation (combining member hashes is what it is for).
        if (name == "GetHashCode" && _method.Name != "GetHashCode")
        {
            Add(DiagnosticDescriptors.HashCodeUse, invocation, Display(method), string.Empty);
        }

        // KAPPA109: culture-sensitive formatting, parsing, casing and comparison.
        CheckCultureInvocation(invocation, typeName);

        // KAPPA112: mutating a collection held in a static field or property.
        if (CollectionMutators.Contains(name) && IsStaticStorage(invocation.Instance) && IsCollection(invocation.Instance!.Type))
        {
            Add(DiagnosticDescriptors.StaticMutableState, invocation, Display(method) + " on a static collection", string.Empty);
        }
    }

    private void CheckPropertyRules(IPropertyReferenceOperation reference)
    {
        IPropertySymbol property = reference.Property;

        // KAPPA112: a static auto-property with a setter is a static mutable field.
        if (property.IsStatic && property.SetMethod is not null && IsInSource(property.ContainingType)
            && property.ContainingType.GetMembers().OfType<IFieldSymbol>().Any(f => SymbolEqualityComparer.Default.Equals(f.AssociatedSymbol, property)))
        {
            Add(DiagnosticDescriptors.StaticMutableState, reference, "static property " + Display(property), string.Empty);
        }

        // KAPPA112: writing through the indexer of a static collection.
        if (property.IsIndexer && reference.Parent is IAssignmentOperation assignment && assignment.Target == reference && IsStaticStorage(reference.Instance))
        {
            Add(DiagnosticDescriptors.StaticMutableState, assignment, "indexer write on a static collection", string.Empty);
        }

        // KAPPA109: Comparer<string>.Default compares with the current culture.
        if (property.Name == "Default" && property.ContainingType is { TypeArguments.Length: 1 } comparer
            && Names.FullName(comparer) == "System.Collections.Generic.Comparer`1" && comparer.TypeArguments[0].SpecialType == SpecialType.System_String)
        {
            Add(DiagnosticDescriptors.Culture, reference, "Comparer<string>.Default", string.Empty);
        }
    }

    private void CheckCreationRules(IObjectCreationOperation creation)
    {
        IMethodSymbol constructor = creation.Constructor!;
        string typeName = Names.FullName(constructor.ContainingType);
        switch (typeName)
        {
            case "System.Random":
                Add(constructor.Parameters.Length == 0 ? DiagnosticDescriptors.RandomValues : DiagnosticDescriptors.SeededRandom, creation, Display(constructor), string.Empty);
                break;
            case "System.Threading.CancellationTokenSource" when constructor.Parameters.Length > 0:
                Add(DiagnosticDescriptors.TimersAndSleeps, creation, Display(constructor), " (a timeout)");
                break;
            case "System.IO.StreamReader" or "System.IO.StreamWriter" when constructor.Parameters.FirstOrDefault()?.Type.SpecialType == SpecialType.System_String:
                Add(DiagnosticDescriptors.ExternalIo, creation, Display(constructor), " (opens a file)");
                break;
        }

        if (_state.UsesImplicitCulture(constructor))
        {
            Add(DiagnosticDescriptors.Culture, creation, Display(constructor) + " without an IFormatProvider", string.Empty);
        }
    }

    private void VisitForEach(IForEachLoopOperation loop)
    {
        IOperation collection = Unwrap(loop.Collection);
        if (collection.Type is { } type && IsConcurrentDrainable(type))
        {
            Add(DiagnosticDescriptors.CompletionOrder, collection, "iterating " + Display(type), " (its order depends on which producer got there first)");
        }
    }

    private void VisitInterpolatedString(IInterpolatedStringOperation interpolated)
    {
        ITypeSymbol? hole = null;
        foreach (IInterpolatedStringContentOperation part in interpolated.Parts)
        {
            if (part is IInterpolationOperation { Expression.Type: { } t } && IsCultureSensitive(t))
            {
                hole = t;
                break;
            }
        }

        if (hole is null)
        {
            return;
        }

        IOperation current = interpolated;
        while (current.Parent is IConversionOperation or IParenthesizedOperation)
        {
            current = current.Parent;
            if (current.Type is { } target && Names.FullName(target) is "System.FormattableString" or "System.IFormattable")
            {
                return; // the receiver chooses the culture (FormattableString.Invariant, string.Create)
            }
        }

        if (current.Parent is IInterpolatedStringHandlerCreationOperation handler)
        {
            IOperation? p = handler.Parent;
            while (p is IConversionOperation or IArgumentOperation)
            {
                p = p.Parent;
            }

            if (p is IInvocationOperation call && call.TargetMethod.Parameters.Any(x => IsFormatProvider(x.Type)))
            {
                return;
            }
        }

        Add(DiagnosticDescriptors.Culture, interpolated, "The interpolated string (formats a " + Display(hole) + ")", string.Empty);
    }

    private void CheckConfigureAwait(IInvocationOperation invocation)
    {
        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            ITypeSymbol? type = argument.Parameter?.Type;
            if (type is null)
            {
                continue;
            }

            Optional<object?> constant = Unwrap(argument.Value).ConstantValue;
            if (type.SpecialType == SpecialType.System_Boolean)
            {
                if (!constant.HasValue)
                {
                    Add(DiagnosticDescriptors.Concurrency, invocation, "ConfigureAwait(" + argument.Syntax + ")", " (the argument is not a constant, so it may be false and resume on the thread pool)");
                }
                else if (constant.Value is false)
                {
                    Add(DiagnosticDescriptors.Concurrency, invocation, "ConfigureAwait(false)", " (resumes on the thread pool, so the rest of the handler can interleave with other work)");
                }
            }
            else if (Names.FullName(type) == "System.Threading.Tasks.ConfigureAwaitOptions")
            {
                if (!constant.HasValue)
                {
                    Add(DiagnosticDescriptors.Concurrency, invocation, "ConfigureAwait(" + argument.Syntax + ")", " (the options are not a constant, so they may omit ContinueOnCapturedContext)");
                }
                else if (constant.Value is int flags && (flags & ContinueOnCapturedContext) == 0)
                {
                    Add(DiagnosticDescriptors.Concurrency, invocation, "ConfigureAwait(" + argument.Syntax + ")", " (without ConfigureAwaitOptions.ContinueOnCapturedContext it resumes on the thread pool)");
                }
            }
        }
    }

    private void CheckCultureInvocation(IInvocationOperation invocation, string typeName)
    {
        IMethodSymbol method = invocation.TargetMethod;
        string name = method.Name;
        CheckImplicitFormatting(invocation, typeName);
        if (!CultureCandidateNames.Contains(name) && !ImplicitCultureCatalog.Names.Contains(name))
        {
            return; // most calls: skip the parameter inspection below
        }

        bool hasProvider = method.Parameters.Any(p => IsFormatProvider(p.Type));
        bool hasComparison = method.Parameters.Any(p => Names.FullName(p.Type) == "System.StringComparison");
        string? culture = null;

        if (name is "ToString" or "Parse" or "TryParse" or "TryFormat" && CultureSensitiveTypes.Contains(typeName) && !hasProvider)
        {
            if (!IsInvariantDateFormat(invocation, typeName))
            {
                culture = Display(method.ContainingType) + "." + name + "() without an IFormatProvider";
            }
        }
        else if (typeName == "System.String")
        {
            switch (name)
            {
                case "Format" when !hasProvider:
                    culture = "string.Format() without an IFormatProvider";
                    break;
                case "ToUpper" or "ToLower" when method.Parameters.Length == 0:
                    culture = "string." + name + "()";
                    break;
                case "Compare" when !hasComparison && !method.Parameters.Any(p => Names.FullName(p.Type) == "System.Globalization.CultureInfo"):
                case "CompareTo":
                    culture = "string." + name + "()";
                    break;
                case "StartsWith" or "EndsWith" or "IndexOf" or "LastIndexOf"
                    when !hasComparison && method.Parameters.FirstOrDefault()?.Type.SpecialType == SpecialType.System_String
                        && !method.Parameters.Any(p => Names.FullName(p.Type) == "System.Globalization.CultureInfo"):
                    culture = "string." + name + "(string) without a StringComparison";
                    break;
            }
        }
        else if (typeName == "System.Char" && name is "ToUpper" or "ToLower" && method.Parameters.Length == 1)
        {
            culture = "char." + name + "()";
        }
        else if (typeName == "System.Text.StringBuilder" && name == "AppendFormat" && !hasProvider)
        {
            culture = "StringBuilder.AppendFormat() without an IFormatProvider";
        }
        else if (typeName == "System.TimeZoneInfo" && name == "ConvertTimeToUtc" && method.Parameters.Length == 1)
        {
            culture = "TimeZoneInfo.ConvertTimeToUtc(DateTime) (converts from the local time zone)";
        }
        else if (typeName == "System.Linq.Enumerable" && method.TypeArguments.Length > 0)
        {
            bool keyIsString = name switch
            {
                "OrderBy" or "OrderByDescending" or "ThenBy" or "ThenByDescending" => method.Parameters.Length == 2 && method.TypeArguments.Length == 2 && method.TypeArguments[1].SpecialType == SpecialType.System_String,
                "Order" or "OrderDescending" => method.Parameters.Length == 1 && method.TypeArguments[0].SpecialType == SpecialType.System_String,
                _ => false,
            };
            if (keyIsString)
            {
                culture = name + "() on string keys without a comparer (Comparer<string>.Default is culture-sensitive)";
            }
        }
        else if (name == "Sort" && method.Parameters.Length == (method.IsStatic ? 1 : 0)
            && (typeName == "System.Collections.Generic.List`1" && method.ContainingType!.TypeArguments[0].SpecialType == SpecialType.System_String
                || typeName == "System.Array" && method.TypeArguments.Length == 1 && method.TypeArguments[0].SpecialType == SpecialType.System_String))
        {
            culture = "Sort() of strings without a comparer (Comparer<string>.Default is culture-sensitive)";
        }

        if (culture is null && _state.UsesImplicitCulture(method) && !IsInvariantDateFormat(invocation, typeName))
        {
            culture = Display(method) + " without an IFormatProvider";
        }

        if (culture is not null)
        {
            Add(DiagnosticDescriptors.Culture, invocation, culture, string.Empty);
        }
    }

    private static bool IsInvariantDateFormat(IInvocationOperation invocation, string typeName) =>
        invocation.TargetMethod.Name == "ToString" && typeName is "System.DateTime" or "System.DateTimeOffset"
        && invocation.Arguments.FirstOrDefault()?.Value.ConstantValue is { HasValue: true, Value: string format } && InvariantDateFormats.Contains(format);

    private bool IsFormatProvider(ITypeSymbol type) =>
        _state.FormatProvider is { } provider
        && (SymbolEqualityComparer.Default.Equals(type, provider) || type.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i, provider)));

    private bool IsCultureSensitive(ITypeSymbol type)
    {
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            type = nullable.TypeArguments[0];
        }

        return CultureSensitiveTypes.Contains(Names.FullName(type));
    }

    private bool HasAsOrderedDownstream(IInvocationOperation asParallel)
    {
        IOperation current = asParallel;
        for (int depth = 0; depth < 64; depth++)
        {
            IOperation? parent = current.Parent;
            while (parent is IConversionOperation or IParenthesizedOperation)
            {
                current = parent;
                parent = parent.Parent;
            }

            if (parent is IArgumentOperation { Parameter.Ordinal: 0 } && parent.Parent is IInvocationOperation next
                && next.TargetMethod.ContainingType is { } t && Names.FullName(t) == "System.Linq.ParallelEnumerable")
            {
                if (next.TargetMethod.Name == "AsOrdered")
                {
                    return true;
                }

                current = next;
                continue;
            }

            return false;
        }

        return false;
    }

    private static bool IsStaticStorage(IOperation? operation) => UnwrapOrNull(operation) switch
    {
        IFieldReferenceOperation { Field.IsStatic: true } => true,
        IPropertyReferenceOperation { Property.IsStatic: true } => true,
        _ => false,
    };

    private bool IsCollection(ITypeSymbol? type) =>
        type is not null
        && Names.Namespace(type) is not ("System.Collections.Immutable" or "System.Collections.Frozen") // Add/Remove return new instances
        && (Names.Namespace(type).StartsWith("System.Collections", System.StringComparison.Ordinal)
            || type.AllInterfaces.Any(i => Names.FullName(i) == "System.Collections.ICollection" || Names.FullName(i) == "System.Collections.Generic.ICollection`1"));

    private bool IsConcurrentDrainable(ITypeSymbol type)
    {
        for (ITypeSymbol? t = type; t is not null; t = t.BaseType)
        {
            switch (Names.FullName(t))
            {
                case "System.Collections.Concurrent.ConcurrentQueue`1":
                case "System.Collections.Concurrent.ConcurrentStack`1":
                case "System.Collections.Concurrent.ConcurrentBag`1":
                case "System.Collections.Concurrent.BlockingCollection`1":
                case "System.Threading.Channels.ChannelReader`1":
                    return true;
            }
        }

        return false;
    }

    private static IOperation Unwrap(IOperation operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation { Operand: { } operand }:
                    operation = operand;
                    break;
                case IParenthesizedOperation { Operand: { } operand }:
                    operation = operand;
                    break;
                default:
                    return operation;
            }
        }
    }

    private static IOperation? UnwrapOrNull(IOperation? operation) => operation is null ? null : Unwrap(operation);
}
