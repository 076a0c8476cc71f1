using System.Threading;
using Kappa.Analyzers.CodeFixes.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Kappa.Analyzers.CodeFixes;

/// <summary>
/// KAPPA109 implicit formatting: <c>"total " + price</c>, <c>sb.Append(price)</c>, <c>string.Concat(a, price)</c> become
/// <c>price.ToString(CultureInfo.InvariantCulture)</c>. Only where the value is formatted on its own (no composite format
/// such as <c>writer.Write("{0:F2}", v)</c>, whose format specifier the rewrite would drop) and not nullable.
/// </summary>
internal static class ImplicitFormattingFix
{
    public static bool IsSite(ExpressionSyntax value, SemanticModel model, CancellationToken cancellationToken)
    {
        if (model.GetTypeInfo(value, cancellationToken).Type is not { } type || !IsFormattable(type))
        {
            return false;
        }

        SyntaxNode? parent = value.Parent;
        switch (parent)
        {
            case BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.AddExpression):
                return model.GetTypeInfo(binary, cancellationToken).Type?.SpecialType == SpecialType.System_String;
            case AssignmentExpressionSyntax assignment when assignment.IsKind(SyntaxKind.AddAssignmentExpression) && assignment.Right == value:
                return model.GetTypeInfo(assignment, cancellationToken).Type?.SpecialType == SpecialType.System_String;
            case ArgumentSyntax { Parent: ArgumentListSyntax { Parent: InvocationExpressionSyntax invocation } }
                when model.GetSymbolInfo(invocation, cancellationToken).Symbol is IMethodSymbol method:
                string owner = method.ContainingType.ToDisplayString();
                return (owner, method.Name) switch
                {
                    ("string", "Concat") => true,
                    ("string", "Join") => true,
                    ("System.Text.StringBuilder", "Append" or "Insert") => true,
                    _ => method.Name is "Write" or "WriteLine" && method.Parameters.Length == 1 && IsTextWriter(method.ContainingType),
                };
            default:
                return false;
        }
    }

    public static ExpressionSyntax ToInvariantString(ExpressionSyntax value)
    {
        ExpressionSyntax receiver = value.WithoutTrivia();
        if (receiver is not (IdentifierNameSyntax or MemberAccessExpressionSyntax or InvocationExpressionSyntax or ElementAccessExpressionSyntax
            or ParenthesizedExpressionSyntax or LiteralExpressionSyntax or ThisExpressionSyntax))
        {
            receiver = SyntaxFactory.ParenthesizedExpression(receiver);
        }

        return SyntaxFactory.InvocationExpression(
            SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, receiver, SyntaxFactory.IdentifierName("ToString")),
            SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(SyntaxHelpers.Qualified("System.Globalization.CultureInfo.InvariantCulture")))));
    }

    private static bool IsFormattable(ITypeSymbol type) =>
        type.SpecialType is SpecialType.System_Double or SpecialType.System_Single or SpecialType.System_Decimal or SpecialType.System_SByte
            or SpecialType.System_Int16 or SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_IntPtr or SpecialType.System_DateTime
        || type.ToDisplayString() is "System.DateTimeOffset" or "System.DateOnly" or "System.TimeOnly" or "System.Half" or "System.Int128" or "System.Numerics.BigInteger";

    private static bool IsTextWriter(INamedTypeSymbol? type)
    {
        for (INamedTypeSymbol? t = type; t is not null; t = t.BaseType)
        {
            if (t.ToDisplayString() == "System.IO.TextWriter")
            {
                return true;
            }
        }

        return false;
    }
}
