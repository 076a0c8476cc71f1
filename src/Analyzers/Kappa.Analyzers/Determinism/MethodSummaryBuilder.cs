using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Kappa.Analyzers.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Kappa.Analyzers.Determinism;

/// <summary>
/// Builds the <see cref="MethodSummary"/> of one method in a single walk over its operation tree (body, lambdas and local
/// functions inside it, and - for constructors - the field and property initializers that run with it). Every rule
/// looks at the same walk.
/// </summary>
internal sealed partial class MethodSummaryBuilder
{
    private readonly CompilationState _state;
    private readonly IMethodSymbol _method;
    private readonly CancellationToken _cancellationToken;
    private readonly List<Finding> _findings = new();
    private readonly List<CallEdge> _calls = new();
    private readonly HashSet<IMethodSymbol> _callTargets = new(SymbolEqualityComparer.Default);
    private List<IOperation> _bodies = new();

    public MethodSummaryBuilder(CompilationState state, IMethodSymbol method, CancellationToken cancellationToken)
    {
        _state = state;
        _method = method;
        _cancellationToken = cancellationToken;
    }

    private TypeNames Names => _state.Names;

    public MethodSummary Build()
    {
        _bodies = GetBodies().ToList();
        foreach (IOperation root in _bodies)
        {
            foreach (IOperation operation in root.DescendantsAndSelf())
            {
                _cancellationToken.ThrowIfCancellationRequested();
                Visit(operation);
            }
        }

        return new MethodSummary(RemoveNested(_findings), _calls.ToImmutableArray());
    }

    /// <summary>The syntax a method's behaviour comes from, as operation trees.</summary>
    private IEnumerable<IOperation> GetBodies()
    {
        IMethodSymbol method = _method.PartialImplementationPart ?? _method;
        bool runsInitializers = method.MethodKind is MethodKind.Constructor or MethodKind.StaticConstructor;
        foreach (SyntaxReference reference in method.DeclaringSyntaxReferences)
        {
            SyntaxNode node = reference.GetSyntax(_cancellationToken);
            if (node is ConstructorDeclarationSyntax { Initializer: { } init } && init.ThisOrBaseKeyword.Text == "this")
            {
                runsInitializers = false; // the chained constructor runs them
            }

            if (node is TypeDeclarationSyntax)
            {
                continue; // primary constructor: its initializers are collected below
            }

            IOperation? operation = _state.GetModel(node.SyntaxTree)?.GetOperation(node, _cancellationToken);
            if (operation is not null)
            {
                yield return operation;
            }
        }

        if (runsInitializers && method.ContainingType is { } type)
        {
            bool isStatic = method.MethodKind == MethodKind.StaticConstructor;
            foreach (ISymbol member in type.GetMembers())
            {
                if (member.IsStatic != isStatic || member is not (IFieldSymbol or IPropertySymbol))
                {
                    continue;
                }

                foreach (SyntaxReference reference in member.DeclaringSyntaxReferences)
                {
                    SyntaxNode node = reference.GetSyntax(_cancellationToken);
                    SyntaxNode? initializer = node switch
                    {
                        VariableDeclaratorSyntax v => v.Initializer,
                        PropertyDeclarationSyntax p => p.Initializer,
                        _ => null,
                    };

                    IOperation? operation = initializer is null ? null : _state.GetModel(initializer.SyntaxTree)?.GetOperation(initializer, _cancellationToken);
                    if (operation is not null)
                    {
                        yield return operation;
                    }
                }
            }
        }
    }

    private void Visit(IOperation operation)
    {
        switch (operation)
        {
            case IInvocationOperation invocation:
                VisitInvocation(invocation);
                break;
            case IPropertyReferenceOperation property:
                VisitProperty(property);
                break;
            case IFieldReferenceOperation field:
                VisitField(field);
                break;
            case IObjectCreationOperation creation:
                VisitCreation(creation);
                break;
            case IMethodReferenceOperation reference:
                if (reference.Method is { } target && !_state.IsVetted(target))
                {
                    Follow(target, reference, virtualDispatch: reference.IsVirtual);
                }

                break;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add, OperatorMethod: null, Type.SpecialType: SpecialType.System_String } concatenation:
                CheckConcatenatedOperand(concatenation.LeftOperand);
                CheckConcatenatedOperand(concatenation.RightOperand);
                break;
            case ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add, OperatorMethod: null, Type.SpecialType: SpecialType.System_String } append:
                CheckConcatenatedOperand(append.Value);
                break;
            case IBinaryOperation { OperatorMethod: { } op }:
                Follow(op, operation, virtualDispatch: false);
                break;
            case IUnaryOperation { OperatorMethod: { } op }:
                Follow(op, operation, virtualDispatch: false);
                break;
            case IConversionOperation { OperatorMethod: { } op }:
                Follow(op, operation, virtualDispatch: false);
                break;
            case ICompoundAssignmentOperation { OperatorMethod: { } op }:
                Follow(op, operation, virtualDispatch: false);
                break;
            case IIncrementOrDecrementOperation { OperatorMethod: { } op }:
                Follow(op, operation, virtualDispatch: false);
                break;
            case IForEachLoopOperation loop:
                VisitForEach(loop);
                break;
            case IInterpolatedStringOperation interpolated:
                VisitInterpolatedString(interpolated);
                break;
        }

        if (operation.Type is not null && operation is not IConversionOperation and not IParenthesizedOperation)
        {
            CheckUnorderedUse(operation);
        }
    }

    private void VisitInvocation(IInvocationOperation invocation)
    {
        IMethodSymbol method = invocation.TargetMethod;
        if (method is null)
        {
            return;
        }

        if (method.MethodKind == MethodKind.DelegateInvoke)
        {
            FollowDelegate(invocation);
            return;
        }

        if (method.MethodKind == MethodKind.LocalFunction)
        {
            return; // its body is part of this method's operation tree
        }

        if (_state.IsVetted(method))
        {
            return;
        }

        if (CheckMember(method, invocation.Instance?.Type, invocation))
        {
            return;
        }

        CheckInvocationRules(invocation);

        bool virtualDispatch = invocation.IsVirtual
            && !(invocation.Instance?.Type?.IsSealed ?? false)
            && !(invocation.Instance?.Type?.IsValueType ?? false);
        Follow(virtualDispatch || !invocation.IsVirtual ? method : OverrideIn(invocation.Instance?.Type, method), invocation, virtualDispatch);
    }

    /// <summary>The member a virtual call on a sealed or value-type receiver runs: the most derived override in the receiver's hierarchy.</summary>
    private static IMethodSymbol OverrideIn(ITypeSymbol? receiver, IMethodSymbol method)
    {
        for (ITypeSymbol? t = receiver; t is not null; t = t.BaseType)
        {
            foreach (ISymbol member in t.GetMembers(method.Name))
            {
                for (IMethodSymbol? m = member as IMethodSymbol; m is not null; m = m.OverriddenMethod)
                {
                    if (SymbolEqualityComparer.Default.Equals(m.OriginalDefinition, method.OriginalDefinition))
                    {
                        return (IMethodSymbol)member;
                    }
                }
            }
        }

        return method;
    }

    private void VisitProperty(IPropertyReferenceOperation reference)
    {
        IPropertySymbol property = reference.Property;
        if (property is null || _state.IsVetted(property))
        {
            return;
        }

        if (CheckMember(property, reference.Instance?.Type, reference))
        {
            return;
        }

        CheckPropertyRules(reference);

        bool isWrite = reference.Parent is IAssignmentOperation assignment && assignment.Target == reference;
        bool isRead = !isWrite || reference.Parent is ICompoundAssignmentOperation or ICoalesceAssignmentOperation;
        bool virtualDispatch = (property.IsVirtual || property.IsAbstract || property.IsOverride)
            && reference.Instance?.Syntax is not BaseExpressionSyntax
            && !(reference.Instance?.Type?.IsSealed ?? false);
        if (isRead && property.GetMethod is { } getter)
        {
            Follow(getter, reference, virtualDispatch);
        }

        if (isWrite && property.SetMethod is { } setter)
        {
            Follow(setter, reference, virtualDispatch);
        }
    }

    private void VisitField(IFieldReferenceOperation reference)
    {
        IFieldSymbol field = reference.Field;
        if (field is null || _state.IsVetted(field.ContainingType))
        {
            return;
        }

        if (CheckMember(field, reference.Instance?.Type, reference))
        {
            return;
        }

        if (field.IsStatic && !field.IsConst && !field.IsReadOnly && field.ContainingType?.TypeKind != TypeKind.Enum)
        {
            Add(DiagnosticDescriptors.StaticMutableState, reference, "static field " + Display(field), string.Empty);
        }

        // A static field of a source type runs that type's static initializers first.
        if (field.IsStatic && !field.IsConst && field.ContainingType is { } type && IsInSource(type))
        {
            foreach (IMethodSymbol cctor in type.StaticConstructors)
            {
                Follow(cctor, reference, virtualDispatch: false);
            }
        }
    }

    private void VisitCreation(IObjectCreationOperation creation)
    {
        IMethodSymbol? constructor = creation.Constructor;
        if (constructor is null || _state.IsVetted(constructor))
        {
            return;
        }

        if (CheckMember(constructor, creation.Type, creation))
        {
            return;
        }

        CheckCreationRules(creation);
        Follow(constructor, creation, virtualDispatch: false);
        if (constructor.ContainingType is { } type && IsInSource(type))
        {
            foreach (IMethodSymbol cctor in type.StaticConstructors)
            {
                Follow(cctor, creation, virtualDispatch: false);
            }
        }
    }

    /// <summary>Catalog and banned-member checks shared by calls, property and field references and constructions; true when reported.</summary>
    private bool CheckMember(ISymbol member, ITypeSymbol? receiverType, IOperation operation)
    {
        if (_state.Banned.IsBanned(member, Names, out string reason))
        {
            Add(DiagnosticDescriptors.ExternalIo, operation, Display(member), reason.Length > 0 ? " (banned in " + BannedMembers.FileName + ": " + reason + ")" : " (banned in " + BannedMembers.FileName + ")");
            return true;
        }

        if (member.ContainingType is { } containing && IsInSource(containing))
        {
            return false; // the catalog describes framework types only
        }

        DiagnosticDescriptor? descriptor = _state.TryClassifyRuntimeMember(member, out DiagnosticDescriptor? runtime) ? runtime : ApiCatalog.Match(member, receiverType, Names);
        if (descriptor is null)
        {
            return false;
        }

        if (descriptor == DiagnosticDescriptors.ReflectionOrder && !OrderReachesOutput(operation))
        {
            return true;
        }

        if (descriptor == DiagnosticDescriptors.HashCodeUse && _method.Name == "GetHashCode")
        {
            return true; // combining member hashes inside a GetHashCode implementation is what HashCode is for
        }

        Add(descriptor, operation, Display(member), string.Empty);
        return true;
    }

    /// <summary>Adds an edge to a method whose body is in the compilation, or reports why it cannot be followed.</summary>
    private void Follow(IMethodSymbol target, IOperation operation, bool virtualDispatch)
    {
        IMethodSymbol method = (target.ReducedFrom ?? target).OriginalDefinition;
        if (method.MethodKind is MethodKind.LocalFunction or MethodKind.AnonymousFunction || _state.IsVetted(method))
        {
            return;
        }

        if (method.PartialDefinitionPart is not null)
        {
            method = method.PartialDefinitionPart; // one key per partial method
        }

        bool dispatched = virtualDispatch || method.IsAbstract || (method.ContainingType?.TypeKind == TypeKind.Interface && !method.IsStatic);
        int implementations = dispatched ? FollowImplementations(method, operation, ReceiverType(operation)) : 0;
        bool inSource = IsInSource(method.ContainingType);
        if (!inSource)
        {
            if (!CompilationState.IsFrameworkAssembly(method.ContainingAssembly))
            {
                Unfollowable(operation, Display(target), "declared in assembly " + method.ContainingAssembly?.Name + ", whose code is not analysed");
            }

            return;
        }

        if (dispatched && implementations == 0 && (method.IsAbstract || method.ContainingType?.TypeKind == TypeKind.Interface))
        {
            Unfollowable(operation, Display(target), method.ContainingType?.TypeKind == TypeKind.Interface
                ? "an interface member without an implementation in this compilation; the one that runs is not analysed"
                : "an abstract member without an override in this compilation; the one that runs is not analysed");
        }

        IMethodSymbol bodyOwner = method.PartialImplementationPart ?? method;
        if (bodyOwner.IsAbstract || bodyOwner.IsExtern || (bodyOwner.DeclaringSyntaxReferences.IsEmpty && !bodyOwner.IsImplicitlyDeclared))
        {
            if (!bodyOwner.IsAbstract)
            {
                Unfollowable(operation, Display(target), "it has no body in this compilation");
            }

            return;
        }

        if (_callTargets.Add(method))
        {
            _calls.Add(new CallEdge(method, operation.Syntax.GetLocation()));
        }
    }

    /// <summary>
    /// A call through an interface or to a virtual/abstract member: adds an edge to every implementation or override in the
    /// compilation (the call chain then names the implementation). Members of object, ValueType and Enum are not resolved
    /// (every type overrides ToString/Equals/GetHashCode; those are judged where they are called directly).
    /// </summary>
    private int FollowImplementations(IMethodSymbol method, IOperation operation, ITypeSymbol? receiver)
    {
        if (method.ContainingType is null || method.ContainingType.SpecialType is SpecialType.System_Object or SpecialType.System_ValueType or SpecialType.System_Enum)
        {
            return 0;
        }

        int count = 0;
        foreach (IMethodSymbol implementation in _state.Dispatch.Resolve(method, _cancellationToken))
        {
            if (_state.IsVetted(implementation))
            {
                count++;
                continue;
            }

            if (!IsInSource(implementation.ContainingType) || implementation.IsAbstract || implementation.DeclaringSyntaxReferences.IsEmpty)
            {
                continue;
            }

            // A class-typed receiver only dispatches to overrides in its own hierarchy (above it, or below it).
            if (receiver is INamedTypeSymbol { TypeKind: TypeKind.Class } r
                && !IsSubtype(implementation.ContainingType, r) && !IsSubtype(r, implementation.ContainingType))
            {
                continue;
            }

            count++;
            IMethodSymbol key = implementation.PartialDefinitionPart ?? implementation;
            if (_callTargets.Add(key))
            {
                _calls.Add(new CallEdge(key, operation.Syntax.GetLocation()));
            }
        }

        return count;
    }

    private static ITypeSymbol? ReceiverType(IOperation operation) => operation switch
    {
        IInvocationOperation invocation => invocation.Instance?.Type,
        IPropertyReferenceOperation property => property.Instance?.Type,
        IMethodReferenceOperation reference => reference.Instance?.Type,
        _ => null,
    };

    private static bool IsSubtype(INamedTypeSymbol type, INamedTypeSymbol of)
    {
        for (INamedTypeSymbol? t = type; t is not null; t = t.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(t.OriginalDefinition, of.OriginalDefinition))
            {
                return true;
            }
        }

        return false;
    }

    private void Unfollowable(IOperation operation, string member, string reason) =>
        Add(DiagnosticDescriptors.UnfollowableCall, operation, member, reason);

    private void Add(DiagnosticDescriptor descriptor, IOperation operation, string member, string detail) =>
        Add(descriptor, operation.Syntax, member, detail);

    private void Add(DiagnosticDescriptor descriptor, SyntaxNode node, string member, string detail) =>
        _findings.Add(new Finding(descriptor, node.GetLocation(), member, detail));

    private bool IsInSource(ITypeSymbol? type) =>
        type is not null && type.Locations.Any(static l => l.IsInSource) && SymbolEqualityComparer.Default.Equals(type.ContainingAssembly, _state.Compilation.Assembly);

    /// <summary>"DateTime.UtcNow", "Random..ctor" shown as "new Random()", "Dictionary&lt;string, int&gt;".</summary>
    internal static string Display(ISymbol symbol) => symbol switch
    {
        IMethodSymbol { MethodKind: MethodKind.Constructor } ctor => "new " + Display(ctor.ContainingType) + "(" + string.Join(", ", ctor.Parameters.Select(p => p.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat))) + ")",
        IMethodSymbol { MethodKind: MethodKind.StaticConstructor } cctor => Display(cctor.ContainingType) + " static initializer",
        IMethodSymbol { AssociatedSymbol: IPropertySymbol p } => Display(p),
        INamedTypeSymbol type => type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat),
        IMethodSymbol method => Display(method.ContainingType) + "." + method.Name + "()",
        _ when symbol.ContainingType is { } t => Display(t) + "." + symbol.Name,
        _ => symbol.Name,
    };

    /// <summary>When one offending construct contains another of the same rule (TimeProvider.System.GetUtcNow()), keep only the outer one.</summary>
    private static ImmutableArray<Finding> RemoveNested(List<Finding> findings)
    {
        if (findings.Count < 2)
        {
            return findings.ToImmutableArray();
        }

        var kept = ImmutableArray.CreateBuilder<Finding>(findings.Count);
        foreach (Finding f in findings)
        {
            bool nested = false;
            foreach (Finding other in findings)
            {
                if (!ReferenceEquals(f, other) && other.Descriptor == f.Descriptor && other.Location.SourceTree == f.Location.SourceTree
                    && other.Location.SourceSpan.Contains(f.Location.SourceSpan) && other.Location.SourceSpan != f.Location.SourceSpan)
                {
                    nested = true;
                    break;
                }
            }

            bool duplicate = kept.Any(k => k.Descriptor == f.Descriptor && k.Location == f.Location);
            if (!nested && !duplicate)
            {
                kept.Add(f);
            }
        }

        return kept.ToImmutable();
    }
}
