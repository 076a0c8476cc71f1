using System.Runtime.InteropServices;
using Kappa.Buffers;

namespace Kappa.State;

/// <summary>
/// The in-memory state of one store for one partition: state values by record-key bytes (ordinal comparison).
/// Lookups by <see cref="ReadOnlySpan{T}"/> do not allocate when the key exists. Every key handed out for writing or
/// removed is tracked as dirty until <see cref="MarkClean"/>, so a batch commit writes exactly the changed entries to
/// the changelog (<see cref="WriteChanges"/>), in ordinal key order. <see cref="Apply"/> restores from changelog records.
/// Not thread-safe: one partition is processed by one thread.
/// </summary>
public sealed class KeyValueStore<TState> : IStateStore
    where TState : IProcessorState<TState>
{
    // A cached delegate: List.Sort(IComparer) would allocate one per sort.
    private static readonly Comparison<byte[]> OrdinalOrder = ByteKeyComparer.Instance.Compare;

    private readonly Dictionary<byte[], Entry> _entries;
    private readonly Dictionary<byte[], Entry>.AlternateLookup<ReadOnlySpan<byte>> _lookup;
    private readonly List<byte[]> _dirty = [];
    private readonly PooledBufferWriter _buffer = new(256);

    public KeyValueStore()
    {
        _entries = new Dictionary<byte[], Entry>(ByteKeyComparer.Instance);
        _lookup = _entries.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    /// <summary>Number of keys with state.</summary>
    public int Count => _entries.Count;

    /// <summary>Number of keys changed since the last <see cref="MarkClean"/>.</summary>
    public int DirtyCount => _dirty.Count;

    /// <summary>The changelog offset the committed state reflects (set by <see cref="MarkClean"/>, snapshots and restore).</summary>
    public long ChangelogOffset { get; set; } = -1;

    /// <summary>
    /// The state for <paramref name="key"/> by reference, created with its defaults when missing. The key becomes dirty:
    /// the caller may change the state through the reference.
    /// </summary>
    public ref TState GetOrAdd(ReadOnlySpan<byte> key)
    {
        ref Entry entry = ref CollectionsMarshal.GetValueRefOrAddDefault(_lookup, key, out bool exists);
        if (!exists)
        {
            entry.Value = TState.CreateDefault();
            _lookup.TryGetValue(key, out byte[]? stored, out _);
            entry.Key = stored!;
        }

        if (!entry.Dirty)
        {
            entry.Dirty = true;
            _dirty.Add(entry.Key);
        }

        return ref entry.Value;
    }

    /// <summary>Sets the state for <paramref name="key"/> (adding the key when missing); the key becomes dirty.</summary>
    public void Set(ReadOnlySpan<byte> key, in TState value)
    {
        ref Entry entry = ref CollectionsMarshal.GetValueRefOrAddDefault(_lookup, key, out bool exists);
        if (!exists)
        {
            _lookup.TryGetValue(key, out byte[]? stored, out _);
            entry.Key = stored!;
        }

        entry.Value = value;
        if (!entry.Dirty)
        {
            entry.Dirty = true;
            _dirty.Add(entry.Key);
        }
    }

    /// <summary>Reads the state for <paramref name="key"/> without marking it dirty.</summary>
    public bool TryGetValue(ReadOnlySpan<byte> key, out TState value)
    {
        if (_lookup.TryGetValue(key, out Entry entry))
        {
            value = entry.Value;
            return true;
        }

        value = default!;
        return false;
    }

    /// <summary>Whether <paramref name="key"/> has state.</summary>
    public bool ContainsKey(ReadOnlySpan<byte> key) => _lookup.ContainsKey(key);

    /// <summary>Removes the state for <paramref name="key"/>; the next commit writes a tombstone for it.</summary>
    public bool Remove(ReadOnlySpan<byte> key)
    {
        if (!_lookup.Remove(key, out byte[]? stored, out Entry entry))
        {
            return false;
        }

        if (!entry.Dirty)
        {
            _dirty.Add(stored);
        }

        return true;
    }

    /// <summary>The keys changed since the last <see cref="MarkClean"/>, in ordinal order, without duplicates.</summary>
    public IReadOnlyList<byte[]> GetDirtyKeys()
    {
        NormalizeDirty();
        return _dirty.ToArray();
    }

    /// <summary>
    /// Serializes every changed entry, in ordinal key order, and hands it to <paramref name="handler"/> (a removed key
    /// as a tombstone). Does not clear the dirty set: call <see cref="MarkClean"/> once the batch has committed.
    /// Returns the number of changes.
    /// </summary>
    public int WriteChanges(StateChangeHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        NormalizeDirty();
        foreach (byte[] key in _dirty)
        {
            if (_entries.TryGetValue(key, out Entry entry))
            {
                _buffer.Reset();
                StateSerializer.Serialize(in entry.Value, _buffer);
                handler(key, _buffer.WrittenSpan, isTombstone: false);
            }
            else
            {
                handler(key, ReadOnlySpan<byte>.Empty, isTombstone: true);
            }
        }

        return _dirty.Count;
    }

    /// <summary>Forgets the dirty set after a successful commit, recording the changelog offset the state now reflects.</summary>
    public void MarkClean(long changelogOffset)
    {
        foreach (byte[] key in _dirty)
        {
            ref Entry entry = ref CollectionsMarshal.GetValueRefOrNullRef(_entries, key);
            if (!System.Runtime.CompilerServices.Unsafe.IsNullRef(ref entry))
            {
                entry.Dirty = false;
            }
        }

        _dirty.Clear();
        ChangelogOffset = changelogOffset;
    }

    /// <summary>
    /// Restores one changelog record: sets the key's state from <paramref name="value"/> or removes it for a tombstone.
    /// Does not mark the key dirty. Malformed state gives a <see cref="StateFormatException"/>.
    /// </summary>
    public void Apply(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, bool isTombstone)
    {
        if (isTombstone)
        {
            if (_lookup.TryGetValue(key, out Entry existing) && existing.Dirty)
            {
                throw new InvalidOperationException("Apply was called for a key with uncommitted changes; restore must run before processing.");
            }

            _lookup.Remove(key);
            return;
        }

        TState state = StateSerializer.Deserialize<TState>(value);
        ref Entry entry = ref CollectionsMarshal.GetValueRefOrAddDefault(_lookup, key, out bool exists);
        if (!exists)
        {
            _lookup.TryGetValue(key, out byte[]? stored, out _);
            entry.Key = stored!;
        }
        else if (entry.Dirty)
        {
            throw new InvalidOperationException("Apply was called for a key with uncommitted changes; restore must run before processing.");
        }

        entry.Value = state;
    }

    /// <summary>Removes every entry and the dirty set (before a full restore).</summary>
    public void Clear()
    {
        _entries.Clear();
        _dirty.Clear();
        ChangelogOffset = -1;
    }

    /// <summary>All entries in ordinal key order (snapshots, checksums, tests).</summary>
    public IEnumerable<KeyValuePair<byte[], TState>> EnumerateOrdered()
    {
        byte[][] keys = [.. _entries.Keys];
        Array.Sort(keys, ByteKeyComparer.Instance);
        foreach (byte[] key in keys)
        {
            yield return new KeyValuePair<byte[], TState>(key, _entries[key].Value);
        }
    }

    /// <summary>
    /// SHA-256 over every entry in ordinal key order (key length, key, value length, serialized state, lengths as
    /// little-endian uint32): equal for stores with equal content on any machine, whatever the order of updates.
    /// Used to compare the final state of two runs of a processor (determinism checks).
    /// </summary>
    public byte[] ComputeChecksum()
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        Span<byte> length = stackalloc byte[4];
        foreach (var (key, value) in EnumerateOrdered())
        {
            _buffer.Reset();
            StateSerializer.Serialize(in value, _buffer);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)key.Length);
            hash.AppendData(length);
            hash.AppendData(key);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)_buffer.WrittenCount);
            hash.AppendData(length);
            hash.AppendData(_buffer.WrittenSpan);
        }

        return hash.GetHashAndReset();
    }

    /// <summary>Every key with the SHA-256 of its serialized state, in ordinal key order (determinism checks).</summary>
    public IEnumerable<KeyValuePair<byte[], byte[]>> EnumerateEntryChecksums()
    {
        foreach (var (key, value) in EnumerateOrdered())
        {
            _buffer.Reset();
            StateSerializer.Serialize(in value, _buffer);
            yield return new KeyValuePair<byte[], byte[]>(key, System.Security.Cryptography.SHA256.HashData(_buffer.WrittenSpan));
        }
    }

    /// <summary>Writes a snapshot of the committed state to <paramref name="path"/> (see <see cref="StateSnapshot"/>).</summary>
    public void WriteSnapshot(string path)
    {
        if (_dirty.Count > 0)
        {
            throw new InvalidOperationException($"The store has {_dirty.Count} uncommitted change(s); snapshot after the batch commits (MarkClean).");
        }

        StateSnapshot.Write(path, this);
    }

    /// <summary>
    /// Replaces the content with the snapshot at <paramref name="path"/>. Returns false (store unchanged) when the
    /// file is missing or corrupt, with the reason; the caller then restores from the changelog.
    /// </summary>
    public bool TryLoadSnapshot(string path, out string? failure)
    {
        if (!StateSnapshot.TryRead(path, out List<KeyValuePair<byte[], TState>>? entries, out long offset, out failure))
        {
            return false;
        }

        _entries.Clear();
        _dirty.Clear();
        foreach (var (key, value) in entries)
        {
            _entries[key] = new Entry { Key = key, Value = value };
        }

        ChangelogOffset = offset;
        return true;
    }

    private void NormalizeDirty()
    {
        if (_dirty.Count < 2)
        {
            return;
        }

        _dirty.Sort(OrdinalOrder);
        int w = 1;
        for (int r = 1; r < _dirty.Count; r++)
        {
            if (!ByteKeyComparer.Instance.Equals(_dirty[r], _dirty[w - 1]))
            {
                _dirty[w++] = _dirty[r];
            }
        }

        _dirty.RemoveRange(w, _dirty.Count - w);
    }

    private struct Entry
    {
        public byte[] Key;
        public TState Value;
        public bool Dirty;
    }
}
