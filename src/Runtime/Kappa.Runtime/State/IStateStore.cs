namespace Kappa.State;

/// <summary>
/// The type-independent view of one store for one partition (<see cref="KeyValueStore{TState}"/>) that the processor
/// runner drives: restore, changelog writes, commits, snapshots and checksums. Not thread-safe.
/// </summary>
public interface IStateStore
{
    /// <summary>Number of keys with state.</summary>
    int Count { get; }

    /// <summary>Number of keys changed since the last <see cref="MarkClean"/>.</summary>
    int DirtyCount { get; }

    /// <summary>The changelog offset (next offset to read) the committed state reflects, or -1 when unknown.</summary>
    long ChangelogOffset { get; set; }

    /// <summary>Hands every changed entry to <paramref name="handler"/>, in ordinal key order; see <see cref="KeyValueStore{TState}.WriteChanges"/>.</summary>
    int WriteChanges(StateChangeHandler handler);

    /// <summary>Forgets the dirty set after the batch committed.</summary>
    void MarkClean(long changelogOffset);

    /// <summary>Applies one changelog record (restore).</summary>
    void Apply(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, bool isTombstone);

    /// <summary>Removes everything.</summary>
    void Clear();

    /// <summary>Writes a snapshot of the committed state (no uncommitted changes allowed).</summary>
    void WriteSnapshot(string path);

    /// <summary>Replaces the content with a snapshot; false (store unchanged) with the reason when missing or corrupt.</summary>
    bool TryLoadSnapshot(string path, out string? failure);

    /// <summary>SHA-256 over every entry in ordinal key order; see <see cref="KeyValueStore{TState}.ComputeChecksum"/>.</summary>
    byte[] ComputeChecksum();

    /// <summary>Every key with the SHA-256 of its serialized state, in ordinal key order (determinism checks).</summary>
    IEnumerable<KeyValuePair<byte[], byte[]>> EnumerateEntryChecksums();
}
