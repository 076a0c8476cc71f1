namespace Kappa;

/// <summary>
/// Marks a partial record, class or struct for Avro code generation: schema (JSON, Parsing Canonical Form, CRC-64-AVRO
/// fingerprint) and a span-based encoder and decoder, with no reflection.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = false)]
public sealed class AvroRecordAttribute : Attribute
{
    /// <summary>The Avro namespace; defaults to the C# namespace.</summary>
    public string? Namespace { get; set; }

    /// <summary>The Avro record name; defaults to the C# type name.</summary>
    public string? Name { get; set; }
}
