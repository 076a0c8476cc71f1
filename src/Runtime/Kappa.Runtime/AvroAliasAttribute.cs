namespace Kappa;

/// <summary>
/// An Avro alias: on an <c>[AvroRecord]</c> type, a former name of the record (a full name, or a name in the record's
/// namespace); on a member, a former name of the field. Readers match writer records and fields by their aliases, so a
/// rename keeps reading old data. Repeat the attribute for several aliases.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter, AllowMultiple = true)]
public sealed class AvroAliasAttribute : Attribute
{
    public AvroAliasAttribute(string alias)
    {
        Alias = alias;
    }

    public string Alias { get; }
}
