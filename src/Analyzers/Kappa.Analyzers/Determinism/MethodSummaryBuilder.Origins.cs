using System.Collections.Generic;
using System.Linq;
using Kappa.Analyzers.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Kappa.Analyzers.Determinism;

/// <summary>
/// KAPPA107 behind interfaces: what a local, field, auto-property or helper result typed as <c>IEnumerable&lt;T&gt;</c>,
/// <c>ICollection&lt;T&gt;</c>, <c>IReadOnlyCollection&lt;T&gt;</c>, <c>ISet&lt;T&gt;</c>, <c>IDictionary&lt;K,V&gt;</c> or
/// <c>IReadOnlyDictionary&lt;K,V&gt;</c> actually holds. Locals are followed through every assignment in the method,
/// fields and auto-properties through their initializers and every assignment in their type, helper results through the
/// helper's return statements; anything else is of unknown origin and handled by <see cref="UnknownOriginPolicy"/>.
/// </summary>
internal sealed partial class MethodSummaryBuilder
{
    private const int MaxOriginDepth = 6;

    private static readonly HashSet<string> TrackedInterfaces = new()
    {
        "System.Collections.IEnumerable", "System.Collections.ICollection", "System.Collections.IDictionary",
        "System.Collections.Generic.IEnumerable`1", "System.Collections.Generic.ICollection`1", "System.Collections.Generic.IReadOnlyCollection`1",
        "System.Collections.Generic.ISet`1", "System.Collections.Generic.IReadOnlySet`1", "System.Collections.Generic.IDictionary`2",
        "System.Collections.Generic.IReadOnlyDictionary`2", "System.Collections.Immutable.IImmutableSet`1", "System.Collections.Immutable.IImmutableDictionary`2",
    };

    /// <summary>Interfaces that are hash-based in practice: assumed unordered when their origin is unknown (default policy).</summary>
    private static readonly HashSet<string> LookupInterfaces = new()
    {
        "System.Collections.IDictionary", "System.Collections.Generic.ISet`1", "System.Collections.Generic.IReadOnlySet`1",
        "System.Collections.Generic.IDictionary`2", "System.Collections.Generic.IReadOnlyDictionary`2",
        "System.Collections.Immutable.IImmutableSet`1", "System.Collections.Immutable.IImmutableDictionary`2",
    };

    private Dictionary<ILocalSymbol, List<IOperation>>? _localValues;
    private HashSet<ILocalSymbol>? _openLocals;

    private bool IsTrackedInterface(ITypeSymbol? type) => type is { TypeKind: TypeKind.Interface } && TrackedInterfaces.Contains(Names.FullName(type));

    /// <summary>
    /// For a read of interface-typed storage whose order reaches an output: reports it when it holds a hash collection,
    /// stays silent when every value it can hold is ordered, and applies the policy otherwise. True when it decided.
    /// </summary>
    private bool CheckInterfaceUse(IOperation operation)
    {
        ITypeSymbol? type = operation.Type;
        IOperation? storage = operation is IPropertyReferenceOperation { Property.Name: "Keys" or "Values", Instance: { } owner } && IsTrackedInterface(owner.Type) ? owner : operation;
        if (!IsTrackedInterface(type) || !IsStorageRead(storage))
        {
            return false;
        }

        Flow flow = Classify(operation);
        if (flow is not (Flow.Reaches or Flow.FloatAccumulate))
        {
            return true;
        }

        ValueOrigin origin = OriginOf(storage, 0);
        switch (origin.Kind)
        {
            case OriginKind.Unordered:
                Report(flow, operation, origin.UnorderedType!, " (it holds a " + Display(origin.UnorderedType!) + ")");
                break;
            case OriginKind.Unknown when storage is IParameterReferenceOperation && IsSequenceParameter(storage.Type):
                break; // every caller in the compilation is checked where it passes a hash collection to a sequence parameter
            case OriginKind.Unknown:
                UnknownOriginPolicy policy = _state.GetPolicy(operation.Syntax.SyntaxTree);
                bool lookup = LookupInterfaces.Contains(Names.FullName(storage.Type!));
                if (policy == UnknownOriginPolicy.All || (policy == UnknownOriginPolicy.DictionariesAndSets && lookup))
                {
                    Report(flow, operation, storage.Type!, " (what it holds is not known here, and " + (lookup ? "dictionary and set interfaces are assumed hash-based" : "kappa_determinism.unknown_collection_origin = all") + ")");
                }
                else
                {
                    Unfollowable(operation, Describe(operation, storage.Type!), "a collection of unknown origin behind an interface; if it is a hash collection its order is unspecified");
                }

                break;
        }

        return true;
    }

    private void Report(Flow flow, IOperation operation, ITypeSymbol type, string detail)
    {
        if (flow == Flow.FloatAccumulate)
        {
            Add(DiagnosticDescriptors.FloatingPoint, operation, "Summing floating-point values of " + Describe(operation, type), " (the unspecified order changes the rounding)");
        }
        else
        {
            Add(DiagnosticDescriptors.UnorderedIteration, operation, Describe(operation, type), detail);
        }
    }

    private bool IsStorageRead(IOperation operation) => operation switch
    {
        ILocalReferenceOperation or IParameterReferenceOperation => true,
        IFieldReferenceOperation => true,
        IPropertyReferenceOperation p => IsInSource(p.Property.ContainingType),
        IInvocationOperation call => IsInSource(call.TargetMethod.ContainingType),
        _ => false,
    };

    /// <summary>What <paramref name="value"/> was created as.</summary>
    private ValueOrigin OriginOf(IOperation value, int depth)
    {
        value = Unwrap(value);
        if (depth > MaxOriginDepth)
        {
            return ValueOrigin.Unknown;
        }

        if (value.Type is { TypeKind: TypeKind.Class or TypeKind.Struct or TypeKind.Array } concrete)
        {
            return IsUnordered(concrete) ? ValueOrigin.Unordered(concrete) : ValueOrigin.Ordered;
        }

        switch (value)
        {
            case ILiteralOperation or IDefaultValueOperation or ICollectionExpressionOperation:
                return ValueOrigin.Ordered; // null, or a collection expression (an array or a list)
            case ILocalReferenceOperation local:
                return OriginOfStored(LocalValues(local.Local), depth);
            case IFieldReferenceOperation field when IsInSource(field.Field.ContainingType):
                return OriginOfStored(_state.GetMemberValues(field.Field, MemberValues), depth);
            case IPropertyReferenceOperation { Property.Name: "Keys" or "Values", Instance: { } owner } when IsTrackedInterface(owner.Type):
                return OriginOf(owner, depth + 1);
            case IPropertyReferenceOperation property when IsInSource(property.Property.ContainingType) && IsAutoProperty(property.Property):
                return OriginOfStored(_state.GetMemberValues(property.Property, MemberValues), depth);
            case IConditionalOperation { WhenTrue: { } whenTrue, WhenFalse: { } whenFalse }:
                return OriginOf(whenTrue, depth + 1).Or(OriginOf(whenFalse, depth + 1));
            case ICoalesceOperation coalesce:
                return OriginOf(coalesce.Value, depth + 1).Or(OriginOf(coalesce.WhenNull, depth + 1));
            case IInvocationOperation call:
                return OriginOfCall(call, depth);
            default:
                return ValueOrigin.Unknown;
        }
    }

    private ValueOrigin OriginOfStored(StorageValues stored, int depth)
    {
        ValueOrigin origin = stored.Complete && stored.Values.Length > 0 ? ValueOrigin.Ordered : ValueOrigin.Unknown;
        foreach (IOperation value in stored.Values)
        {
            origin = origin.Or(OriginOf(value, depth + 1));
        }

        return origin;
    }

    private ValueOrigin OriginOfCall(IInvocationOperation call, int depth)
    {
        IMethodSymbol method = call.TargetMethod;
        if (method.ContainingType is { } container && SequenceOperatorTypes.Contains(Names.FullName(container)) && call.Arguments.Length > 0)
        {
            return Restoring.Contains(method.Name) ? ValueOrigin.Ordered
                : OrderPreserving.Contains(method.Name) ? OriginOf(call.Arguments[0].Value, depth + 1)
                : ValueOrigin.Unknown;
        }

        if (!IsInSource(method.ContainingType) || call.IsVirtual || method.IsAbstract)
        {
            return ValueOrigin.Unknown;
        }

        var returned = new List<IOperation>();
        foreach (SyntaxReference reference in method.OriginalDefinition.DeclaringSyntaxReferences)
        {
            SyntaxNode node = reference.GetSyntax(_cancellationToken);
            IOperation? body = _state.GetModel(node.SyntaxTree)?.GetOperation(node, _cancellationToken);
            if (body is null)
            {
                return ValueOrigin.Unknown;
            }

            returned.AddRange(body.DescendantsAndSelf().OfType<IReturnOperation>().Where(r => r.ReturnedValue is not null && r.Kind == OperationKind.Return).Select(r => r.ReturnedValue!));
        }

        return OriginOfStored(StorageValues.From(returned, complete: true), depth);
    }

    private StorageValues LocalValues(ILocalSymbol local)
    {
        if (_localValues is null)
        {
            _localValues = new Dictionary<ILocalSymbol, List<IOperation>>(SymbolEqualityComparer.Default);
            _openLocals = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
            foreach (IOperation root in _bodies)
            {
                foreach (IOperation operation in root.DescendantsAndSelf())
                {
                    CollectStore(operation);
                }
            }
        }

        bool complete = !_openLocals!.Contains(local);
        return _localValues.TryGetValue(local, out List<IOperation>? values) ? StorageValues.From(values, complete) : StorageValues.Incomplete;
    }

    private void CollectStore(IOperation operation)
    {
        switch (operation)
        {
            case IVariableDeclaratorOperation declarator:
                IOperation? initial = declarator.Initializer?.Value ?? (declarator.Parent as IVariableDeclarationOperation)?.Initializer?.Value;
                Values(declarator.Symbol);
                if (initial is not null)
                {
                    _localValues![declarator.Symbol].Add(initial);
                }
                else if (declarator.Parent is not IVariableDeclarationOperation)
                {
                    _openLocals!.Add(declarator.Symbol); // foreach and catch variables
                }

                break;
            case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment:
                Values(target.Local).Add(assignment.Value);
                break;
            case ICoalesceAssignmentOperation { Target: ILocalReferenceOperation target } assignment:
                Values(target.Local).Add(assignment.Value);
                break;
            case ILocalReferenceOperation reference when IsOpenWrite(reference):
                _openLocals!.Add(reference.Local);
                break;
        }
    }

    private List<IOperation> Values(ILocalSymbol local)
    {
        if (!_localValues!.TryGetValue(local, out List<IOperation>? values))
        {
            values = new List<IOperation>();
            _localValues.Add(local, values);
        }

        return values;
    }

    /// <summary>A write the value lists do not capture: out/ref arguments, declarations in patterns or out vars, deconstruction, compound assignment.</summary>
    private static bool IsOpenWrite(IOperation reference)
    {
        IOperation? parent = reference.Parent;
        return reference is ILocalReferenceOperation { IsDeclaration: true }
            || parent is IArgumentOperation { Parameter.RefKind: RefKind.Out or RefKind.Ref }
            || parent is IDeclarationExpressionOperation
            || parent is ICompoundAssignmentOperation compound && compound.Target == reference
            || parent is ITupleOperation { Parent: IDeconstructionAssignmentOperation }
            || parent is IDeconstructionAssignmentOperation deconstruction && deconstruction.Target == reference;
    }

    /// <summary>Every value stored into a field or auto-property of a source type: initializers and assignments anywhere in the type.</summary>
    private StorageValues MemberValues(ISymbol member)
    {
        bool complete = member.DeclaredAccessibility == Accessibility.Private || member is IFieldSymbol { IsReadOnly: true } || member is IPropertySymbol { SetMethod: null };
        var values = new List<IOperation>();
        foreach (SyntaxReference typeReference in member.ContainingType.DeclaringSyntaxReferences)
        {
            SyntaxNode typeNode = typeReference.GetSyntax(_cancellationToken);
            SemanticModel? model = _state.GetModel(typeNode.SyntaxTree);
            if (model is null)
            {
                return StorageValues.Incomplete;
            }

            foreach (SyntaxNode node in typeNode.DescendantNodes())
            {
                switch (node)
                {
                    case VariableDeclaratorSyntax { Initializer: not null } declarator when declarator.Identifier.ValueText == member.Name
                        && SymbolEqualityComparer.Default.Equals(model.GetDeclaredSymbol(declarator, _cancellationToken), member):
                    case PropertyDeclarationSyntax { Initializer: not null } property when property.Identifier.ValueText == member.Name
                        && SymbolEqualityComparer.Default.Equals(model.GetDeclaredSymbol(property, _cancellationToken), member):
                        EqualsValueClauseSyntax clause = node is VariableDeclaratorSyntax v ? v.Initializer! : ((PropertyDeclarationSyntax)node).Initializer!;
                        if (model.GetOperation(clause, _cancellationToken) is ISymbolInitializerOperation { Value: { } initial })
                        {
                            values.Add(initial);
                        }

                        break;
                    case AssignmentExpressionSyntax assignment when NamesMember(assignment.Left, member.Name):
                        switch (model.GetOperation(assignment, _cancellationToken))
                        {
                            case ISimpleAssignmentOperation { Target: IMemberReferenceOperation target } stored when SymbolEqualityComparer.Default.Equals(target.Member, member):
                                values.Add(stored.Value);
                                break;
                            case ICoalesceAssignmentOperation { Target: IMemberReferenceOperation target } stored when SymbolEqualityComparer.Default.Equals(target.Member, member):
                                values.Add(stored.Value);
                                break;
                            case ICompoundAssignmentOperation or IDeconstructionAssignmentOperation:
                                complete = false;
                                break;
                        }

                        break;
                    case ArgumentSyntax { RefKindKeyword.ValueText: "ref" or "out" } argument when NamesMember(argument.Expression, member.Name):
                        complete = false;
                        break;
                }
            }
        }

        return StorageValues.From(values, complete);
    }

    private static bool NamesMember(ExpressionSyntax expression, string name) => expression switch
    {
        IdentifierNameSyntax identifier => identifier.Identifier.ValueText == name,
        MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText == name,
        _ => true, // tuples and other targets: bind to find out
    };

    private static bool IsAutoProperty(IPropertySymbol property) =>
        property.ContainingType.GetMembers().OfType<IFieldSymbol>().Any(f => SymbolEqualityComparer.Default.Equals(f.AssociatedSymbol, property));
}
