namespace Kappa.Processing;

/// <summary>
/// Headers the runner adds to a record it sends to the dead-letter topic <c>{processor}.v{N}.dlq</c>. The record keeps
/// its original key, value, timestamp and headers; these come after the original headers. Values are UTF-8 text,
/// numbers in invariant decimal.
/// </summary>
public static class DeadLetterHeaders
{
    /// <summary>Why the record was dead-lettered: <see cref="ReasonUndecodable"/>, <see cref="ReasonBadFraming"/>, <see cref="ReasonUnknownSchemaId"/>, <see cref="ReasonUnresolvableSchema"/>, <see cref="ReasonNullValue"/>, <see cref="ReasonNullKey"/>, <see cref="ReasonHandlerError"/> or (sink writers) <see cref="ReasonRefused"/>.</summary>
    public const string Reason = "kappa.dlq.reason";

    /// <summary>The error message.</summary>
    public const string Error = "kappa.dlq.error";

    /// <summary>Full type name of the exception behind it (e.g. <c>Kappa.Avro.AvroDecodeException</c>).</summary>
    public const string ExceptionType = "kappa.dlq.exception";

    /// <summary>The processor version that rejected it: <c>{processor}.v{N}</c>.</summary>
    public const string Processor = "kappa.dlq.processor";

    public const string Topic = "kappa.dlq.topic";

    public const string Partition = "kappa.dlq.partition";

    public const string Offset = "kappa.dlq.offset";

    /// <summary>The original record's timestamp in ms since the Unix epoch.</summary>
    public const string Timestamp = "kappa.dlq.timestamp";

    /// <summary>The value is not a valid encoding of the handler's input type.</summary>
    public const string ReasonUndecodable = "undecodable";

    /// <summary>A Confluent-framed input whose framing does not match (too short, or another magic byte).</summary>
    public const string ReasonBadFraming = "bad-framing";

    /// <summary>A Confluent-framed input whose schema id the schema registry does not know.</summary>
    public const string ReasonUnknownSchemaId = "unknown-schema-id";

    /// <summary>A Confluent-framed input whose writer schema cannot be resolved against the handler's input type.</summary>
    public const string ReasonUnresolvableSchema = "unresolvable-schema";

    /// <summary>The value is null (a tombstone) where a record is expected.</summary>
    public const string ReasonNullValue = "null-value";

    /// <summary>The key is null where the handler keeps per-key state.</summary>
    public const string ReasonNullKey = "null-key";

    /// <summary>The sink table a sink writer could not write the record to: <c>{sink}_v{N}</c> (sink dead letters only; they carry no <see cref="Processor"/>).</summary>
    public const string SinkTable = "kappa.dlq.sink-table";

    /// <summary>The database's error code for a refused row (PostgreSQL SQLSTATE such as <c>22003</c>; SQLite extended result code).</summary>
    public const string DatabaseCode = "kappa.dlq.database-code";

    /// <summary>A sink writer's database refused the row (constraint, range, encoding); <see cref="Error"/> has the database's message.</summary>
    public const string ReasonRefused = "refused";

    /// <summary>The handler threw and <see cref="HandlerErrorPolicy.DeadLetter"/> is configured.</summary>
    public const string ReasonHandlerError = "handler-error";
}
