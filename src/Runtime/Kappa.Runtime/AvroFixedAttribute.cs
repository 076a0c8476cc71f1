namespace Kappa;

/// <summary>
/// Writes a member as an Avro <c>fixed</c>: <c>byte[]</c> and <c>ReadOnlyMemory&lt;byte&gt;</c> as <c>fixed(size)</c>
/// (a value of another length is an <see cref="Avro.AvroEncodeException"/>), <see cref="Guid"/> as the <c>uuid</c> logical
/// type on <c>fixed(16)</c> (RFC 4122 byte order), and <see cref="AvroDuration"/> (always <c>fixed(12)</c>) with a chosen
/// name. A fixed is a named type: <see cref="Name"/> defaults to the member name and <see cref="Namespace"/> to the
/// record's namespace.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter, AllowMultiple = false)]
public sealed class AvroFixedAttribute : Attribute
{
    /// <summary>A fixed whose size follows from the member type (16 for <see cref="Guid"/>, 12 for <see cref="AvroDuration"/>).</summary>
    public AvroFixedAttribute()
    {
    }

    public AvroFixedAttribute(int size)
    {
        Size = size;
    }

    /// <summary>The size in bytes (0 when implied by the member type).</summary>
    public int Size { get; }

    /// <summary>The fixed type's Avro name; defaults to the member name.</summary>
    public string? Name { get; set; }

    /// <summary>The fixed type's Avro namespace; defaults to the enclosing record's namespace.</summary>
    public string? Namespace { get; set; }
}
