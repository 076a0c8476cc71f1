namespace Kappa.Testing;

/// <summary>A record stored by <see cref="InMemoryTransport"/>; <see cref="Headers"/> is Kafka's header encoding (empty for none).</summary>
public sealed record InMemoryRecord(string Topic, int Partition, long Offset, byte[]? Key, byte[]? Value, long TimestampMs, byte[] Headers);
