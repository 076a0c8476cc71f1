namespace Kappa.State;

/// <summary>
/// Declares how state written with a field that was since removed or retyped is carried into the current shape.
/// Put it on a static method of the [ProcessorState] type with the signature
/// <c>static void Name(ref TSelf state, OldType oldValue)</c>, where <c>OldType</c> is the field's type recorded in
/// kappa-state.lock.json. The generated reader calls it after all fields of an old value are read.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class StateMigrationAttribute : Attribute
{
    public StateMigrationAttribute(string fieldName)
    {
        FieldName = fieldName;
    }

    /// <summary>The name of the removed or retyped field, as recorded in the lock file.</summary>
    public string FieldName { get; }
}
