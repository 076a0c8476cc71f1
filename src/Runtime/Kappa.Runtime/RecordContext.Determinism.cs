using Kappa.Determinism;

namespace Kappa;

public readonly ref partial struct RecordContext
{
    /// <summary>
    /// A deterministic id for this record (RFC 9562 version 5 over topic, partition, offset and <paramref name="index"/>):
    /// the replacement for <c>Guid.NewGuid()</c>. Use a different <paramref name="index"/> for each id one record needs.
    /// </summary>
    public Guid NewGuid(int index = 0) => DeterministicGuid.FromRecord(Topic, Partition, Offset, index);

    /// <summary>
    /// A random generator seeded from this record (topic, partition, offset and <paramref name="stream"/>), stable across
    /// .NET versions: the replacement for <c>new Random()</c> and <c>Random.Shared</c>.
    /// </summary>
    public DeterministicRandom CreateRandom(int stream = 0) => DeterministicRandom.FromRecord(Topic, Partition, Offset, stream);
}
