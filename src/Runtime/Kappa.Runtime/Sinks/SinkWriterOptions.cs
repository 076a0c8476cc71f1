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
    }
}
