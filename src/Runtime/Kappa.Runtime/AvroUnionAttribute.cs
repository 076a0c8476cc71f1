namespace Kappa;

/// <summary>
/// Marks an abstract base type as an Avro union of its derived <c>[AvroRecord]</c> types. A member of the base type is
/// written as the union <c>[Branch0, Branch1, ...]</c> (the branches in the order given here; a nullable member adds
/// <c>"null"</c>), encoded by the value's run-time type and decoded to the branch the data names. Every branch must
/// derive from the base type, be a concrete <c>[AvroRecord]</c> and appear once (KAPPA017). Reordering or removing
/// branches changes the schema: add new branches at the end.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Interface, AllowMultiple = false, Inherited = false)]
public sealed class AvroUnionAttribute : Attribute
{
    public AvroUnionAttribute(params Type[] branches)
    {
        Branches = branches;
    }

    /// <summary>The branch types, in union order.</summary>
    public IReadOnlyList<Type> Branches { get; }
}
