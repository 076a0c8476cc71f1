using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Kappa.Analyzers.Determinism;

/// <summary>
/// Delegate invocations: the delegate is resolved to the lambdas and method groups stored into it - a local through every
/// assignment in the method, a field or auto-property through its initializer and every assignment in its type - and each
/// target is walked (a lambda declared elsewhere gets its own summary, named "Type.member lambda" in the call chain).
/// What cannot be resolved (a parameter, a value from outside) stays unfollowable (KAPPA190): lambdas passed as
/// arguments are analysed as part of the method that writes them.
/// </summary>
internal sealed partial class MethodSummaryBuilder
{
    private void FollowDelegate(IInvocationOperation invocation)
    {
        IOperation? instance = UnwrapOrNull(invocation.Instance);
        StorageValues? stored = instance switch
        {
            ILocalReferenceOperation local => LocalValues(local.Local),
            IFieldReferenceOperation field when IsInSource(field.Field.ContainingType) => _state.GetMemberValues(field.Field, MemberValues),
            IPropertyReferenceOperation property when IsInSource(property.Property.ContainingType) && IsAutoProperty(property.Property) => _state.GetMemberValues(property.Property, MemberValues),
            _ => null,
        };

        bool resolved = stored is { Complete: true, Values.Length: > 0 };
        foreach (IOperation value in stored?.Values ?? Enumerable.Empty<IOperation>())
        {
            resolved &= FollowDelegateTarget(value, invocation);
        }

        if (!resolved)
        {
            Unfollowable(invocation, Display(invocation.TargetMethod.ContainingType) + " delegate", "a delegate invocation whose targets are not all assigned where the analysis can see them");
        }
    }

    private bool FollowDelegateTarget(IOperation value, IOperation invocation)
    {
        IOperation target = Unwrap(value) is IDelegateCreationOperation creation ? Unwrap(creation.Target) : Unwrap(value);
        switch (target)
        {
            case IAnonymousFunctionOperation lambda:
                bool vetted = _state.IsVetted(lambda.Symbol) || (lambda.Symbol.ContainingSymbol is { } owner && _state.IsVetted(owner));
                if (!IsInOwnBody(lambda.Syntax) && !vetted && _callTargets.Add(lambda.Symbol))
                {
                    _calls.Add(new CallEdge(lambda.Symbol, invocation.Syntax.GetLocation()));
                }

                return true;
            case IMethodReferenceOperation reference:
                Follow(reference.Method, invocation, reference.IsVirtual);
                return true;
            case ILiteralOperation or IDefaultValueOperation:
                return true; // null
            default:
                return false;
        }
    }

    /// <summary>Whether <paramref name="node"/> is inside the bodies this summary walks (then it is already analysed here).</summary>
    private bool IsInOwnBody(SyntaxNode node) =>
        _bodies.Any(b => b.Syntax.SyntaxTree == node.SyntaxTree && b.Syntax.Span.Contains(node.Span));
}
