namespace Kappa;

/// <summary>
/// How the value bytes of a processor's input or output records are laid out. Set per input on
/// <see cref="ConsumeAttribute.Format"/> and per sink on <see cref="OutputAttribute.Format"/>.
/// </summary>
public enum ValueFormat
{
    /// <summary>
    /// The default: the value is the Avro binary encoding of the record, nothing before it, written with the record
    /// type's own schema (what <c>AvroSerializer</c> writes). No schema registry is involved.
    /// </summary>
    Avro,

    /// <summary>
    /// Confluent's wire format: magic byte <c>0</c>, the writer schema's id in a Schema Registry as a 4-byte big-endian
    /// integer, then the Avro binary body (what Confluent's <c>AvroSerializer</c> writes). Inputs look the writer schema
    /// up by id and resolve it to the handler's type (records of every registered version decode); outputs register
    /// their schema under the sink's subject. Needs <see cref="Processing.ProcessorOptions.SchemaRegistry"/>.
    /// </summary>
    ConfluentAvro,
}
