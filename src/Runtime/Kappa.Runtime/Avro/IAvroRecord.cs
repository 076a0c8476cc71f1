namespace Kappa.Avro;

/// <summary>
/// Implemented by the generator on every <see cref="AvroRecordAttribute"/> type. Static members, so codecs are called
/// without reflection, boxing or virtual dispatch.
/// </summary>
public interface IAvroRecord<TSelf>
    where TSelf : IAvroRecord<TSelf>
{
    /// <summary>The full Avro schema as JSON.</summary>
    static abstract string AvroSchemaJson { get; }

    /// <summary>The schema in Avro's Parsing Canonical Form.</summary>
    static abstract string AvroCanonicalSchema { get; }

    /// <summary>CRC-64-AVRO (Rabin) fingerprint of the canonical form.</summary>
    static abstract long AvroFingerprint { get; }

    /// <summary>Reads one value; throws <see cref="AvroDecodeException"/> naming type, field and byte offset on bad input.</summary>
    static abstract TSelf ReadAvro(ref AvroReader reader);

    /// <summary>Writes one value.</summary>
    static abstract void WriteAvro(ref AvroWriter writer, in TSelf value);

    /// <summary>
    /// The generated resolving decoder for data written with the schema whose CRC-64-AVRO fingerprint is
    /// <paramref name="writerFingerprint"/>, when that schema is recorded in the project's kappa-avro-history.json (see
    /// docs/avro.md, "Schema history"); null otherwise, and for the type's current schema (use <c>ReadAvro</c>).
    /// <see cref="Schemas.AvroResolution{T}"/> uses it when there is one and builds a run-time plan when not.
    /// </summary>
    static virtual AvroReadFunc<TSelf>? GetAvroResolvingReader(long writerFingerprint) => null;

    /// <summary>
    /// Reads one value written with another schema in one pass, following the record node of a run-time resolution plan
    /// (<see cref="Schemas.AvroResolution{T}"/> builds it once per writer schema): writer fields are read into the reader's
    /// fields with their promotions, enum and union mappings, writer-only fields are skipped, reader-only fields come
    /// from their defaults. The generator implements it on every <c>[AvroRecord]</c> type; a type written by hand gets
    /// this fallback, which rewrites the value in the reader's encoding into a per-thread buffer and reads that with
    /// <c>ReadAvro</c>.
    /// </summary>
    static virtual TSelf ReadAvroResolving(ref AvroReader reader, Schemas.AvroReadPlan plan) => plan.ReadByRewriting<TSelf>(ref reader);
}
