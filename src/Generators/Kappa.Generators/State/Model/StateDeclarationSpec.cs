using Kappa.Generators.Common;

namespace Kappa.Generators.State.Model;

/// <summary>A [ProcessorState] type as declared: where to emit the partial, and its members in declaration order.</summary>
public sealed record StateDeclarationSpec(
    string Namespace,
    string TypeName,
    string Keyword,
    EquatableArray<string> ContainingTypes,
    string FullName,
    TypeRef Type,
    EquatableArray<StateMemberSpec> Members,
    EquatableArray<StateMigrationSpec> Migrations,
    LocationInfo? Location);
