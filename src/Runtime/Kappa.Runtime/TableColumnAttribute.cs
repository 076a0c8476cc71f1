namespace Kappa;

/// <summary>
/// Names the column a member is written to (default: the member name in snake_case). The name must be a plain SQL
/// identifier: <c>^[a-z_][a-z0-9_]{0,62}$</c> after lower-casing, and must not start with <c>_kappa</c> (reserved for
/// the hidden columns).
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class TableColumnAttribute : Attribute
{
    public TableColumnAttribute(string name)
    {
        Name = name;
    }

    public string Name { get; }
}
