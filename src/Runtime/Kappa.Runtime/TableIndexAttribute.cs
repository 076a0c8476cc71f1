namespace Kappa;

/// <summary>
/// Adds an index over these members (in this order) to a <see cref="ServingTableAttribute"/> table. A unique index makes
/// the database refuse a row that repeats an indexed value; the refused record goes to the sink's dead-letter topic.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = true, Inherited = false)]
public sealed class TableIndexAttribute : Attribute
{
    public TableIndexAttribute(params string[] members)
    {
        Members = members;
    }

    /// <summary>The member names (not column names), in index order.</summary>
    public string[] Members { get; }

    public bool Unique { get; set; }
}
