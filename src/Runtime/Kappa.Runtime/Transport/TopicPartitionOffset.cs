namespace Kappa.Transport;

/// <summary>A position in a partition. When committed, <see cref="Offset"/> is the next offset to read (Kafka's convention).</summary>
public readonly record struct TopicPartitionOffset(string Topic, int Partition, long Offset)
{
    public TopicPartition TopicPartition => new(Topic, Partition);

    public override string ToString() => $"{Topic}-{Partition}@{Offset}";
}
