using Kappa.Generators.Common;

namespace Kappa.Generators.State.Model;

/// <summary>A [StateMigration] method: the retired field it handles, the method name and the old value's type.</summary>
public sealed record StateMigrationSpec(string FieldName, string MethodName, StateValueSpec OldType, LocationInfo? Location);
