namespace Kappa.Transport;

/// <summary>Reads records of subscribed topics as a member of a consumer group. Thread-affine.</summary>
public interface IKappaConsumer : IDisposable
{
    /// <summary>Joins the group for these topics; partitions arrive through <see cref="ConsumerSettings.OnAssigned"/>.</summary>
    void Subscribe(IReadOnlyCollection<string> topics);

    /// <summary>Reads exactly these partitions from these offsets, outside group management (restores, verification runs).</summary>
    void Assign(IReadOnlyCollection<TopicPartitionOffset> partitions);

    /// <summary>The partitions this consumer currently owns.</summary>
    IReadOnlyList<TopicPartition> Assignment { get; }

    /// <summary>
    /// Waits up to <paramref name="timeout"/> for the next record. The record's spans stay valid until the next call on this consumer.
    /// </summary>
    bool TryConsume(TimeSpan timeout, out ConsumedRecord record);

    /// <summary>
    /// Stops delivering records of these assigned partitions until <see cref="Resume"/>, without leaving the group or
    /// losing the position (used while a partition's state is restored). Partitions not assigned are ignored.
    /// </summary>
    void Pause(IReadOnlyCollection<TopicPartition> partitions) =>
        throw new NotSupportedException($"{GetType().Name} cannot pause partitions; stateful processors need IKappaConsumer.Pause/Resume to restore state without stalling.");

    /// <summary>Delivers records of these paused partitions again, from where delivery stopped.</summary>
    void Resume(IReadOnlyCollection<TopicPartition> partitions) =>
        throw new NotSupportedException($"{GetType().Name} cannot resume partitions.");

    /// <summary>
    /// The offset of the next record this consumer would deliver for an assigned partition (past skipped transaction
    /// markers where the transport knows them), or -1 when unknown. Restores use it to tell when they reached an end offset.
    /// </summary>
    long Position(TopicPartition partition) => -1;

    /// <summary>Commits these positions (each the next offset to read) for the group, durably.</summary>
    void Commit(IReadOnlyList<TopicPartitionOffset> offsets);

    /// <summary>The group's committed position for a partition, or null when it has none.</summary>
    long? Committed(TopicPartition partition);

    /// <summary>Leaves the group cleanly (revoking partitions) without committing anything.</summary>
    void Close();
}
