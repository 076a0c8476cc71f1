namespace Kappa.State;

/// <summary>
/// Names the state store of a handler's <c>ref</c> state parameter. Without it the store is named after the parameter.
/// The name becomes part of the changelog topic <c>{processor}.v{N}.{store}-changelog</c>, so renaming a store starts
/// from empty state: do it only together with a new processor version. Handlers that share a name share the store.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class StateStoreAttribute : Attribute
{
    public StateStoreAttribute(string name)
    {
        Name = name;
    }

    public string Name { get; }
}
