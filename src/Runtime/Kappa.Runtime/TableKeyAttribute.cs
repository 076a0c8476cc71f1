namespace Kappa;

/// <summary>
/// Marks a member as part of the primary key of an <see cref="TableMode.Upsert"/> table. Several members form a
/// composite key, ordered by <see cref="Order"/> (then by declaration). Key columns are never null. An
/// <see cref="TableMode.Append"/> table has no user key (its rows are identified by partition and offset): a key there is
/// a build error; declare a <see cref="TableIndexAttribute"/> for lookups instead.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class TableKeyAttribute : Attribute
{
    /// <summary>Position of this member in a composite key (ascending).</summary>
    public int Order { get; set; }
}
