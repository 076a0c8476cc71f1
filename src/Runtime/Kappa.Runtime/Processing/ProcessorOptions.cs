using Kappa.Transport;

namespace Kappa.Processing;

/// <summary>How a <see cref="ProcessorRunner"/> consumes, batches and commits.</summary>
public sealed class ProcessorOptions
{
    /// <summary>At most this many records per batch; outputs are flushed and offsets committed after each batch.</summary>
    public int MaxBatchSize { get; set; } = 1000;

    /// <summary>A batch ends at the latest this long after its first record, bounding output and commit latency.</summary>
    public TimeSpan MaxBatchTime { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest single wait for a record; bounds how quickly an idle processor notices cancellation.</summary>
    public TimeSpan PollTimeout { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>What happens when a handler throws; see <see cref="HandlerErrorPolicy"/>.</summary>
    public HandlerErrorPolicy OnHandlerError { get; set; } = HandlerErrorPolicy.Stop;

    /// <summary>Where a group without committed offsets starts: the whole log by default, so a new version replays it.</summary>
    public StartPosition StartFrom { get; set; } = StartPosition.Earliest;

    public string? ClientId { get; set; }

    /// <summary>Passed to the transport's consumer as they are (for Kafka: librdkafka properties).</summary>
    public IReadOnlyDictionary<string, string> ConsumerProperties { get; set; } = new Dictionary<string, string>();

    /// <summary>Passed to the transport's producer as they are.</summary>
    public IReadOnlyDictionary<string, string> ProducerProperties { get; set; } = new Dictionary<string, string>();

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (MaxBatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBatchSize), MaxBatchSize, "A batch holds at least one record.");
        }

        if (MaxBatchTime <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBatchTime), MaxBatchTime, "The batch time must be positive.");
        }

        if (PollTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(PollTimeout), PollTimeout, "The poll timeout must be positive.");
        }

        if (!Enum.IsDefined(OnHandlerError))
        {
            throw new ArgumentOutOfRangeException(nameof(OnHandlerError), OnHandlerError, "Unknown handler error policy.");
        }
    }
}
