namespace Kappa;

/// <summary>
/// The Avro <c>default</c> of a field, as a JSON literal in the form the Avro specification gives for the field's type
/// (numbers, strings, <c>null</c>, enum symbols as strings, bytes and fixed as strings of code points 0-255, records and
/// maps as objects, arrays as arrays; a union's default belongs to its first branch). Checked against the field's type at
/// build time (KAPPA019). Readers use it for data written before the field existed. Positional record parameters may
/// use a C# default value instead (<c>int Retries = 3</c>); this attribute wins when both are present.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter, AllowMultiple = false)]
public sealed class AvroDefaultAttribute : Attribute
{
    public AvroDefaultAttribute(string json)
    {
        Json = json;
    }

    /// <summary>The default as JSON, e.g. <c>"3"</c>, <c>"\"EUR\""</c>, <c>"[]"</c>, <c>"{\"Street\":\"\"}"</c>.</summary>
    public string Json { get; }
}
