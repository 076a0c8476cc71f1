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

    /// <summary>
    /// The schema registry of Confluent-framed inputs and outputs (<see cref="ValueFormat.ConfluentAvro"/>): writer
    /// schemas are looked up in it by id, output schemas registered in it. Required when the processor has a framed input
    /// or output (the runner refuses to start without it); unused otherwise. Under hosting, null takes the container's
    /// <see cref="Avro.Registry.ISchemaRegistry"/> (<c>KappaBuilder.AddSchemaRegistry</c>).
    /// </summary>
    public Avro.Registry.ISchemaRegistry? SchemaRegistry { get; set; }

    /// <summary>
    /// At-least-once (flush outputs, then commit offsets) or exactly-once (outputs, changelog writes and offsets in one
    /// transaction). Null (the default): exactly-once for stateful processors, at-least-once for stateless ones.
    /// </summary>
    public ProcessingGuarantee? Guarantee { get; set; }

    /// <summary>
    /// This instance's stable identity within the group; the transactional id is <c>{group}.{instance}</c>, so a
    /// restarted instance with the same id fences its predecessor. Default: the machine name. Several instances on one
    /// machine must each set their own (otherwise they fence each other).
    /// </summary>
    public string? InstanceId { get; set; }

    /// <summary>
    /// Where local state snapshots are written (<c>{dir}/{group}/{store}-{partition}.snapshot</c>) when a partition is
    /// revoked or the processor stops, so a restart replays only the changelog after the snapshot. Null (the default):
    /// no snapshots, state is restored from the changelog alone.
    /// </summary>
    public string? StateDirectory { get; set; }

    /// <summary>At most this many changelog records are restored between two polls of the input (bounded restore chunks).</summary>
    public int RestoreChunkRecords { get; set; } = 20_000;

    /// <summary>Timeout of transaction operations (init, offsets, commit, abort).</summary>
    public TimeSpan TransactionTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many times in a row a failed transaction is aborted, its state rolled back and the batch retried before the processor stops.</summary>
    public int MaxTransactionRetries { get; set; } = 3;

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

        if (Guarantee is { } guarantee && !Enum.IsDefined(guarantee))
        {
            throw new ArgumentOutOfRangeException(nameof(Guarantee), guarantee, "Unknown processing guarantee.");
        }

        if (InstanceId is not null)
        {
            Naming.KappaNames.ValidateName(InstanceId, nameof(InstanceId));
        }

        if (RestoreChunkRecords < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(RestoreChunkRecords), RestoreChunkRecords, "A restore chunk holds at least one record.");
        }

        if (TransactionTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(TransactionTimeout), TransactionTimeout, "The transaction timeout must be positive.");
        }

        if (MaxTransactionRetries < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxTransactionRetries), MaxTransactionRetries, "Retries cannot be negative.");
        }

        if (!Enum.IsDefined(OnHandlerError))
        {
            throw new ArgumentOutOfRangeException(nameof(OnHandlerError), OnHandlerError, "Unknown handler error policy.");
        }
    }
}
