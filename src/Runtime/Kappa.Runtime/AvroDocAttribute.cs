namespace Kappa;

/// <summary>The Avro <c>doc</c> of an <c>[AvroRecord]</c> type or of one of its fields, emitted in the schema.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter, AllowMultiple = false)]
public sealed class AvroDocAttribute : Attribute
{
    public AvroDocAttribute(string doc)
    {
        Doc = doc;
    }

    public string Doc { get; }
}
