namespace Kappa;

/// <summary>
/// Materializes the records of a sink into a database table. Put it on an <see cref="AvroRecordAttribute"/> type that a
/// handler returns through <see cref="OutputAttribute"/>: version N of sink <c>s</c> is written from the topic
/// <c>s.vN</c> to the table <c>s_vN</c> (always <see cref="Naming.KappaNames.Table"/>, there is no name override), and
/// the view <c>s</c> serves the version that was switched to. Every public field or property becomes a column; rename
/// one with <see cref="TableColumnAttribute"/>. See docs/sinks.md.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = false)]
public sealed class ServingTableAttribute : Attribute
{
    public ServingTableAttribute(TableMode mode)
    {
        Mode = mode;
    }

    /// <summary>Upsert (latest row per key; needs at least one <see cref="TableKeyAttribute"/>) or append (every record a row; no keys).</summary>
    public TableMode Mode { get; }
}
