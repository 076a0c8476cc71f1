using Kappa.Avro.Registry;

namespace Kappa.Sinks;

/// <summary>Settings of a <see cref="SinkWriter{T}"/>.</summary>
public sealed class SinkWriterOptions
{
    /// <summary>Most records in one database transaction.</summary>
    public int MaxBatchRecords { get; set; } = 5000;

    /// <summary>How long a batch waits for more records once it has one (latency versus transaction count).</summary>
    public TimeSpan MaxBatchDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>First wait before retrying after the database or transport failed; doubles up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the lag (topic end offsets minus committed offsets) is measured.</summary>
    public TimeSpan LagInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Transport settings for the writer's consumer and dead-letter producer (for Kafka: librdkafka properties).</summary>
    public IReadOnlyDictionary<string, string> TransportProperties { get; set; } = new Dictionary<string, string>();

    /// <summary>
    /// How the topic's values are laid out: <see cref="ValueFormat.Avro"/> (the default: the unframed body) or
    /// <see cref="ValueFormat.ConfluentAvro"/> (Confluent framing; needs <see cref="SchemaRegistry"/>). Set by hosting from
    /// the processor's descriptor (the sink's <c>[Output(Format = ...)]</c>) when the writer is added through the generated
    /// <c>Add{Processor}Tables</c>; set it yourself for a writer created by hand.
    /// </summary>
    public ValueFormat ValueFormat { get; set; } = ValueFormat.Avro;

    /// <summary>
    /// The schema registry of a <see cref="ValueFormat.ConfluentAvro"/> sink (writer schemas are looked up by id). Hosting
    /// fills it from the container (<c>KappaBuilder.AddSchemaRegistry</c>) when not set.
    /// </summary>
    public ISchemaRegistry? SchemaRegistry { get; set; }

    public void Validate()
    {
        if (MaxBatchRecords < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBatchRecords), MaxBatchRecords, "A batch holds at least one record.");
        }

        if (MaxBatchDelay < TimeSpan.Zero || RetryDelay <= TimeSpan.Zero || MaxRetryDelay < RetryDelay || LagInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBatchDelay), "Delays must be positive (MaxBatchDelay may be zero) and MaxRetryDelay >= RetryDelay.");
        }

        if (!Enum.IsDefined(ValueFormat))
        {
            throw new ArgumentOutOfRangeException(nameof(ValueFormat), ValueFormat, "Unknown value format.");
        }
    }
}
