using System.Collections.Generic;
using System.Linq;
using Kappa.Analyzers.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Kappa.Analyzers.Determinism;

/// <summary>
/// KAPPA109, implicit formatting: a value converted to text by its parameterless <c>ToString()</c> - which formats with the
/// current culture - without any method in the code that looks culture-sensitive: <c>"total " + 1.5</c>, <c>s += date</c>,
/// <c>string.Concat</c>/<c>string.Join</c> of such values, <c>StringBuilder.Append/Insert</c> and <c>TextWriter.Write/WriteLine</c>.
/// </summary>
internal sealed partial class MethodSummaryBuilder
{
    /// <summary>Types whose default text depends on the culture (decimal separator, date pattern, digits of NaN/infinity).</summary>
    private static readonly HashSet<string> ImplicitlyFormattedTypes = new()
    {
        "System.Single", "System.Double", "System.Decimal", "System.Half", "System.Runtime.InteropServices.NFloat",
        "System.Numerics.Complex", "System.DateTime", "System.DateTimeOffset", "System.DateOnly", "System.TimeOnly",
    };

    /// <summary>Signed integers: their default text depends on the culture only through the negative sign.</summary>
    private static readonly HashSet<string> SignedIntegerTypes = new()
    {
        "System.SByte", "System.Int16", "System.Int32", "System.Int64", "System.Int128", "System.IntPtr", "System.Numerics.BigInteger",
    };

    /// <summary>The framework methods that turn an argument into text with its parameterless ToString().</summary>
    private bool FormatsArguments(string typeName, IMethodSymbol method) => (typeName, method.Name) switch
    {
        ("System.String", "Concat" or "Join") => true,
        ("System.Text.StringBuilder", "Append" or "Insert") => true,
        (_, "Write" or "WriteLine") => IsTextWriter(method.ContainingType),
        _ => false,
    };

    private void CheckConcatenatedOperand(IOperation operand)
    {
        if (ImplicitlyFormatted(operand) is { } type)
        {
            ReportImplicitFormatting(StripImplicit(operand), type, "concatenated into a string");
        }
    }

    private void CheckImplicitFormatting(IInvocationOperation invocation, string typeName)
    {
        IMethodSymbol method = invocation.TargetMethod;
        if (method.Parameters.Length == 0 || method.Name is not ("Concat" or "Join" or "Append" or "Insert" or "Write" or "WriteLine")
            || !FormatsArguments(typeName, method))
        {
            return;
        }

        if (method.Name is "Write" or "WriteLine" && WriterHasExplicitProvider(invocation.Instance))
        {
            return; // new StringWriter(CultureInfo.InvariantCulture) formats with that provider
        }

        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            IEnumerable<IOperation> values = argument.ArgumentKind == ArgumentKind.ParamArray || argument.ArgumentKind == ArgumentKind.ParamCollection
                ? Unwrap(argument.Value) switch
                {
                    IArrayCreationOperation { Initializer: { } init } => init.ElementValues,
                    ICollectionExpressionOperation collection => collection.Elements,
                    _ => new[] { argument.Value },
                }
                : new[] { argument.Value };
            foreach (IOperation value in values)
            {
                if (ImplicitlyFormatted(value) is { } type)
                {
                    ReportImplicitFormatting(StripImplicit(value), type, "passed to " + Display(method));
                }
                else if (typeName == "System.String" && FormattedElementType(StripBoxing(value).Type) is { } element)
                {
                    Add(DiagnosticDescriptors.Culture, StripImplicit(value), "The " + Display(element) + " elements passed to " + Display(method) + " (each formatted by its ToString() with the current culture)", string.Empty);
                }
            }
        }
    }

    /// <summary>string.Join/Concat of a sequence: the element type when its default text depends on the culture.</summary>
    private ITypeSymbol? FormattedElementType(ITypeSymbol? type)
    {
        ITypeSymbol? element = type switch
        {
            IArrayTypeSymbol array => array.ElementType,
            INamedTypeSymbol named when named.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T => named.TypeArguments[0],
            INamedTypeSymbol named => named.AllInterfaces.FirstOrDefault(i => i.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T)?.TypeArguments[0],
            _ => null,
        };
        if (element is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            element = nullable.TypeArguments[0];
        }

        return element is not null && (ImplicitlyFormattedTypes.Contains(Names.FullName(element)) || SignedIntegerTypes.Contains(Names.FullName(element))) ? element : null;
    }

    private void ReportImplicitFormatting(IOperation value, ITypeSymbol type, string how) =>
        Add(DiagnosticDescriptors.Culture, value, "The " + Display(type) + " " + how + " (formatted by its ToString() with the current culture)", string.Empty);

    /// <summary>The type of <paramref name="value"/> when its default text depends on the culture; null otherwise.</summary>
    private ITypeSymbol? ImplicitlyFormatted(IOperation value)
    {
        IOperation operand = StripBoxing(value);
        if (operand.Type is not { } type)
        {
            return null;
        }

        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            type = nullable.TypeArguments[0];
        }

        string name = Names.FullName(type);
        if (ImplicitlyFormattedTypes.Contains(name))
        {
            return type;
        }

        return SignedIntegerTypes.Contains(name) && !IsNonNegative(operand) ? type : null;
    }

    private static IOperation StripImplicit(IOperation operation)
    {
        while (operation is IConversionOperation { IsImplicit: true } conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }

    /// <summary>Down to the value that gets formatted: through implicit conversions, parentheses, and casts to object, an interface or a nullable.</summary>
    private static IOperation StripBoxing(IOperation operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation conversion when conversion.IsImplicit || conversion.Type is { IsReferenceType: true }
                    || conversion.Type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T }:
                    operation = conversion.Operand;
                    break;
                case IParenthesizedOperation parenthesized:
                    operation = parenthesized.Operand;
                    break;
                default:
                    return operation;
            }
        }
    }

    /// <summary>
    /// A small range check for signed integers: non-negative constants, counts and lengths of framework types, Math.Abs,
    /// a remainder of a non-negative value, and the parse of a constant string without a sign (its value is that constant).
    /// </summary>
    private bool IsNonNegative(IOperation operand, int depth = 0)
    {
        operand = StripBoxing(operand);
        if (depth > 4)
        {
            return false;
        }

        if (operand.ConstantValue is { HasValue: true, Value: { } constant } && constant is sbyte or short or int or long)
        {
            return System.Convert.ToInt64(constant, System.Globalization.CultureInfo.InvariantCulture) >= 0;
        }

        return operand switch
        {
            IPropertyReferenceOperation { Property.Name: "Count" or "Length" or "LongLength" } p => !IsInSource(p.Property.ContainingType),
            IInvocationOperation { TargetMethod.Name: "Count" or "LongCount" } call => !IsInSource(call.TargetMethod.ContainingType),
            IInvocationOperation { TargetMethod: { Name: "Abs", ContainingType: { } math } } when Names.FullName(math) is "System.Math" => true,
            IInvocationOperation { TargetMethod: { Name: "Parse", ContainingType: { } parsed } } call
                when SignedIntegerTypes.Contains(Names.FullName(parsed)) && call.Arguments.FirstOrDefault()?.Value.ConstantValue is { HasValue: true, Value: string text }
                => text.Trim().Length > 0 && char.IsDigit(text.Trim()[0]),
            IBinaryOperation { OperatorKind: BinaryOperatorKind.Remainder, LeftOperand: { } left } => IsNonNegative(left, depth + 1),
            _ => false,
        };
    }

    private bool IsTextWriter(INamedTypeSymbol? type)
    {
        for (INamedTypeSymbol? t = type; t is not null; t = t.BaseType)
        {
            if (Names.FullName(t) == "System.IO.TextWriter")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A writer held in a local or field initialised, in this method or its declaration, with an explicit IFormatProvider.</summary>
    private bool WriterHasExplicitProvider(IOperation? instance)
    {
        StorageValues? stored = UnwrapOrNull(instance) switch
        {
            ILocalReferenceOperation local => LocalValues(local.Local),
            IFieldReferenceOperation field when IsInSource(field.Field.ContainingType) => _state.GetMemberValues(field.Field, MemberValues),
            _ => null,
        };

        return stored is { Complete: true, Values.Length: > 0 } && stored.Values.All(v => Unwrap(v) is IObjectCreationOperation creation
            && creation.Constructor is { } ctor && ctor.Parameters.Any(p => IsFormatProvider(p.Type)));
    }
}
