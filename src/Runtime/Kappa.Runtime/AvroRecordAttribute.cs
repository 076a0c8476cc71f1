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

    /// <summary>
    /// The compatibility every change of this type must keep with each schema recorded in the project's schema history
    /// (kappa-avro-history.json; a break is build error KAPPA012). Defaults to BACKWARD_TRANSITIVE: today's code reads
    /// everything ever written, which a replay needs.
    /// </summary>
    public Kappa.Avro.Schemas.AvroCompatibilityMode Compatibility { get; set; } = Kappa.Avro.Schemas.AvroCompatibilityMode.BackwardTransitive;
}
