using System.Runtime.CompilerServices;
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
/// <remarks>
/// The store is a hash table of its own. Entries (the key's hash, its length and flags, the key itself when it has at
/// most 16 bytes, else its place in a shared key arena, and the state value) sit in one array in the order keys were
/// added; a freed entry is reused by the next new key. An open-addressing index of 4-byte buckets (the entry's
/// position plus a tag of hash bits) finds them: power-of-two size, at most seven eighths full, linear probing,
/// backward-shift deletion, growth by rebuilding the index at twice the size. A lookup of a short key reads one bucket
/// (the index is about 5-9 bytes per key, so it stays in the CPU caches longer than the entries) and one entry.
/// Entry positions never change, so the dirty set is a list of positions. The hash (<see cref="KeyHash"/>) is seeded per
/// process and never observable: everything that comes out in an order (changes, snapshots, checksums,
/// <see cref="EnumerateOrdered"/>) is sorted by ordinal key order.
/// A removed key keeps its entry, marked removed and dirty, until the commit (<see cref="MarkClean"/>) frees it, so
/// removing and re-adding a key in one batch is one change.
/// </remarks>
public sealed class KeyValueStore<TState> : IStateStore
    where TState : IProcessorState<TState>
{
    private const int DirtyFlag = int.MinValue;
    private const int RemovedFlag = 1 << 30;

    /// <summary>The low bits of <see cref="Entry.Meta"/>: key length + 1 (0 = free entry).</summary>
    private const int LengthMask = RemovedFlag - 1;

    private const int MaxKeyLength = LengthMask - 1;
    private const int MinBuckets = 16;

    // The index of a store that never had a key: one empty bucket, never written (growth comes before any insert).
    private static readonly uint[] NoBuckets = new uint[1];

    private readonly PooledBufferWriter _buffer = new(256);
    private readonly Comparison<int> _keyOrder;

    // The index: a bucket is 0 (empty) or the entry position + 1 in the low bits (those the bucket mask covers: there
    // are fewer entries than buckets) and the high bits of the key's hash above them (a tag that rules out most
    // non-matching entries without reading them). The low bits of the hash are the home bucket.
    private uint[] _buckets = NoBuckets;
    private int _growAt; // entries in use (live or removed) at which the index doubles
    private Entry[] _entries = [];
    private int _entriesUsed; // entries [0, _entriesUsed) are live, removed or free
    private int _freeList = -1; // a free entry (Meta 0; Key0 holds the next free one), -1 for none
    private int _occupied; // live + removed entries
    private int _count;
    private int _version; // changes whenever a key is added, removed or freed (for EnumerateOrdered)

    // Keys longer than KeyHash.InlineLength: bytes in one arena; the entry holds the offset. Freed keys leave garbage
    // until the arena is compacted.
    private byte[] _keys = [];
    private int _keysUsed;
    private int _keysGarbage;

    // The dirty set: entry positions, one per key (added when the key turns dirty), in order of first change.
    private int[] _dirty = [];
    private int _dirtyCount;
    private bool _dirtySorted = true;

    public KeyValueStore()
    {
        _keyOrder = CompareKeys;
    }

    /// <summary>Number of keys with state.</summary>
    public int Count => _count;

    /// <summary>Number of keys changed since the last <see cref="MarkClean"/>.</summary>
    public int DirtyCount => _dirtyCount;

    /// <summary>The changelog offset the committed state reflects (set by <see cref="MarkClean"/>, snapshots and restore).</summary>
    public long ChangelogOffset { get; set; } = -1;

    /// <summary>
    /// The state for <paramref name="key"/> by reference, created with its defaults when missing. The key becomes dirty:
    /// the caller may change the state through the reference.
    /// The reference is valid until the next call that changes the store: adding a key (<see cref="GetOrAdd"/> or
    /// <see cref="Set"/> of a new key) may grow the entry array and move every value, and <see cref="Remove"/>,
    /// <see cref="MarkClean"/>, <see cref="Apply"/>, <see cref="Clear"/> and <see cref="TryLoadSnapshot"/> may drop
    /// it. The generated dispatcher uses it for one handler call, during which the handler has no access to the store.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref TState GetOrAdd(ReadOnlySpan<byte> key)
    {
        if (key.Length > KeyHash.InlineLength)
        {
            return ref GetOrAddSlow(key);
        }

        // The lookup of FindInline, written out so the common case (a live key already dirty in this batch) is one
        // comparison of the entry's flags and length.
        KeyHash.LoadInline(key, out ulong low, out ulong high);
        int length = key.Length + 1;
        uint h = KeyHash.Inline(low, high, length);
        uint[] buckets = _buckets;
        Entry[] entries = _entries;
        uint mask = (uint)buckets.Length - 1;
        uint tag = h & ~mask;
        ref uint first = ref MemoryMarshal.GetArrayDataReference(buckets);
        for (uint i = h & mask; ; i = (i + 1) & mask)
        {
            uint bucket = Unsafe.Add(ref first, (nint)i);
            if (bucket == 0)
            {
                return ref GetOrAddSlow(key);
            }

            if ((bucket & ~mask) == tag)
            {
                ref Entry entry = ref entries[(int)(bucket & mask) - 1];
                if (entry.Key0 == low && entry.Key1 == high)
                {
                    if (entry.Meta == (length | DirtyFlag))
                    {
                        return ref entry.Value; // live and already dirty in this batch: the steady hot path
                    }

                    if ((entry.Meta & LengthMask) == length)
                    {
                        Touch((int)(bucket & mask) - 1);
                        return ref entry.Value;
                    }
                }
            }
        }
    }

    /// <summary>GetOrAdd for a key that is new, clean or removed, or longer than the inline length.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private ref TState GetOrAddSlow(ReadOnlySpan<byte> key)
    {
        int index = Find(key, out uint hash);
        if (index >= 0)
        {
            ref Entry entry = ref _entries[index];
            if ((entry.Meta & (DirtyFlag | RemovedFlag)) != DirtyFlag)
            {
                Touch(index);
            }

            return ref entry.Value;
        }

        index = Insert(key, hash);
        ref Entry added = ref _entries[index];
        added.Value = TState.CreateDefault();
        MarkDirty(index);
        return ref added.Value;
    }

    /// <summary>Sets the state for <paramref name="key"/> (adding the key when missing); the key becomes dirty.</summary>
    public void Set(ReadOnlySpan<byte> key, in TState value)
    {
        int index = Find(key, out uint hash);
        if (index >= 0)
        {
            if ((_entries[index].Meta & (DirtyFlag | RemovedFlag)) != DirtyFlag)
            {
                Touch(index);
            }
        }
        else
        {
            index = Insert(key, hash);
            MarkDirty(index);
        }

        _entries[index].Value = value;
    }

    /// <summary>Reads the state for <paramref name="key"/> without marking it dirty.</summary>
    public bool TryGetValue(ReadOnlySpan<byte> key, out TState value)
    {
        int index = Find(key, out _);
        if (index >= 0)
        {
            ref Entry entry = ref _entries[index];
            if ((entry.Meta & RemovedFlag) == 0)
            {
                value = entry.Value;
                return true;
            }
        }

        value = default!;
        return false;
    }

    /// <summary>Whether <paramref name="key"/> has state.</summary>
    public bool ContainsKey(ReadOnlySpan<byte> key)
    {
        int index = Find(key, out _);
        return index >= 0 && (_entries[index].Meta & RemovedFlag) == 0;
    }

    /// <summary>Removes the state for <paramref name="key"/>; the next commit writes a tombstone for it.</summary>
    public bool Remove(ReadOnlySpan<byte> key)
    {
        int index = Find(key, out _);
        if (index < 0 || (_entries[index].Meta & RemovedFlag) != 0)
        {
            return false;
        }

        if (_entries[index].Meta >= 0)
        {
            MarkDirty(index);
        }

        // The entry stays (removed, dirty) until the commit, so the change is written and a re-add is the same change.
        ref Entry entry = ref _entries[index];
        entry.Meta |= RemovedFlag;
        entry.Value = default!;
        _count--;
        _version++;
        return true;
    }

    /// <summary>The keys changed since the last <see cref="MarkClean"/>, in ordinal order, without duplicates.</summary>
    public IReadOnlyList<byte[]> GetDirtyKeys()
    {
        SortDirty();
        var keys = new byte[_dirtyCount][];
        for (int i = 0; i < keys.Length; i++)
        {
            keys[i] = KeyOf(_dirty[i]);
        }

        return keys;
    }

    /// <summary>
    /// Serializes every changed entry, in ordinal key order, and hands it to <paramref name="handler"/> (a removed key
    /// as a tombstone). Does not clear the dirty set: call <see cref="MarkClean"/> once the batch has committed.
    /// The key and value spans are valid during the call only; the handler must not change the store.
    /// Returns the number of changes.
    /// </summary>
    public int WriteChanges(StateChangeHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        SortDirty();
        Span<byte> inline = stackalloc byte[KeyHash.InlineLength];
        for (int i = 0; i < _dirtyCount; i++)
        {
            ref Entry entry = ref _entries[_dirty[i]];
            ReadOnlySpan<byte> key = KeySpan(ref entry, inline);
            if ((entry.Meta & RemovedFlag) == 0)
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

        return _dirtyCount;
    }

    /// <summary>Forgets the dirty set after a successful commit, recording the changelog offset the state now reflects.</summary>
    public void MarkClean(long changelogOffset)
    {
        if (_dirtyCount > 0)
        {
            for (int i = 0; i < _dirtyCount; i++)
            {
                int index = _dirty[i];
                ref Entry entry = ref _entries[index];
                if ((entry.Meta & RemovedFlag) != 0)
                {
                    Free(index);
                }
                else
                {
                    entry.Meta &= ~DirtyFlag;
                }
            }

            CompactKeysIfWasteful();
        }

        _dirtyCount = 0;
        _dirtySorted = true;
        ChangelogOffset = changelogOffset;
    }

    /// <summary>
    /// Restores one changelog record: sets the key's state from <paramref name="value"/> or removes it for a tombstone.
    /// Does not mark the key dirty. Malformed state gives a <see cref="StateFormatException"/>.
    /// A key with uncommitted changes (changed or removed in the current batch) is refused.
    /// </summary>
    public void Apply(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, bool isTombstone)
    {
        if (isTombstone)
        {
            int existing = Find(key, out _);
            if (existing < 0)
            {
                return;
            }

            if (_entries[existing].Meta < 0)
            {
                throw UncommittedChanges();
            }

            Free(existing);
            _count--;
            CompactKeysIfWasteful();
            return;
        }

        TState state = StateSerializer.Deserialize<TState>(value);
        int index = Find(key, out uint hash);
        if (index >= 0)
        {
            if (_entries[index].Meta < 0)
            {
                throw UncommittedChanges();
            }
        }
        else
        {
            index = Insert(key, hash);
        }

        _entries[index].Value = state;
    }

    /// <summary>Removes every entry and the dirty set (before a full restore).</summary>
    public void Clear()
    {
        ClearContent();
        ChangelogOffset = -1;
    }

    /// <summary>
    /// All entries in ordinal key order (snapshots, checksums, tests). Each key is a new array. Adding or removing a
    /// key while enumerating ends the enumeration with an <see cref="InvalidOperationException"/>.
    /// </summary>
    public IEnumerable<KeyValuePair<byte[], TState>> EnumerateOrdered()
    {
        int version = _version;
        foreach (int position in OrderedPositions())
        {
            ThrowIfChanged(version);
            yield return new KeyValuePair<byte[], TState>(KeyOf(position), _entries[position].Value);
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
        Span<byte> inline = stackalloc byte[KeyHash.InlineLength];
        foreach (int position in OrderedPositions())
        {
            ReadOnlySpan<byte> key = KeyAt(position, inline);
            _buffer.Reset();
            StateSerializer.Serialize(in _entries[position].Value, _buffer);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)key.Length);
            hash.AppendData(length);
            hash.AppendData(key);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)_buffer.WrittenCount);
            hash.AppendData(length);
            hash.AppendData(_buffer.WrittenSpan);
        }

        return hash.GetHashAndReset();
    }

    /// <summary>Every key (a new array) with the SHA-256 of its serialized state, in ordinal key order (determinism checks).</summary>
    public IEnumerable<KeyValuePair<byte[], byte[]>> EnumerateEntryChecksums()
    {
        int version = _version;
        foreach (int position in OrderedPositions())
        {
            ThrowIfChanged(version);
            _buffer.Reset();
            StateSerializer.Serialize(in _entries[position].Value, _buffer);
            yield return new KeyValuePair<byte[], byte[]>(KeyOf(position), System.Security.Cryptography.SHA256.HashData(_buffer.WrittenSpan));
        }
    }

    /// <summary>The positions of the live entries, in ordinal key order (for snapshots: no array per key).</summary>
    internal int[] OrderedPositions()
    {
        var positions = new int[_count];
        int n = 0;
        for (int i = 0; i < _entriesUsed; i++)
        {
            int meta = _entries[i].Meta;
            if (meta != 0 && (meta & RemovedFlag) == 0)
            {
                positions[n++] = i;
            }
        }

        positions.AsSpan(0, n).Sort(_keyOrder);
        return positions;
    }

    /// <summary>The key of the entry at <paramref name="position"/>: a slice of the store, or written into <paramref name="inline"/> (16 bytes).</summary>
    internal ReadOnlySpan<byte> KeyAt(int position, Span<byte> inline) => KeySpan(ref _entries[position], inline);

    /// <summary>The state of the entry at <paramref name="position"/>.</summary>
    internal ref readonly TState ValueAt(int position) => ref _entries[position].Value;

    /// <summary>Writes a snapshot of the committed state to <paramref name="path"/> (see <see cref="StateSnapshot"/>).</summary>
    public void WriteSnapshot(string path)
    {
        if (_dirtyCount > 0)
        {
            throw new InvalidOperationException($"The store has {_dirtyCount} uncommitted change(s); snapshot after the batch commits (MarkClean).");
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

        ClearContent();
        EnsureCapacity(entries.Count);
        foreach (var (key, value) in entries)
        {
            int index = Find(key, out uint hash);
            if (index < 0)
            {
                index = Insert(key, hash);
            }

            _entries[index].Value = value;
        }

        ChangelogOffset = offset;
        return true;
    }

    /// <summary>The position of <paramref name="key"/>'s entry (live or removed), or -1; <paramref name="hash"/> is the key's hash either way.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Find(ReadOnlySpan<byte> key, out uint hash) =>
        key.Length <= KeyHash.InlineLength ? FindInline(key, out hash) : FindLong(key, out hash);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int FindInline(ReadOnlySpan<byte> key, out uint hash)
    {
        KeyHash.LoadInline(key, out ulong low, out ulong high);
        int length = key.Length + 1;
        uint h = KeyHash.Inline(low, high, length);
        hash = h;
        uint[] buckets = _buckets;
        Entry[] entries = _entries;
        uint mask = (uint)buckets.Length - 1;
        uint tag = h & ~mask;
        ref uint first = ref MemoryMarshal.GetArrayDataReference(buckets);
        for (uint i = h & mask; ; i = (i + 1) & mask)
        {
            uint bucket = Unsafe.Add(ref first, (nint)i);
            if (bucket == 0)
            {
                return -1;
            }

            if ((bucket & ~mask) == tag)
            {
                int index = (int)(bucket & mask) - 1;
                ref Entry entry = ref entries[index];
                if ((entry.Meta & LengthMask) == length && entry.Key0 == low && entry.Key1 == high)
                {
                    return index;
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private int FindLong(ReadOnlySpan<byte> key, out uint hash)
    {
        uint h = KeyHash.Long(key);
        hash = h;
        int length = key.Length + 1;
        uint[] buckets = _buckets;
        uint mask = (uint)buckets.Length - 1;
        uint tag = h & ~mask;
        for (uint i = h & mask; ; i = (i + 1) & mask)
        {
            uint bucket = buckets[i];
            if (bucket == 0)
            {
                return -1;
            }

            if ((bucket & ~mask) == tag)
            {
                int index = (int)(bucket & mask) - 1;
                ref Entry entry = ref _entries[index];
                if ((entry.Meta & LengthMask) == length && _keys.AsSpan((int)entry.Key0, key.Length).SequenceEqual(key))
                {
                    return index;
                }
            }
        }
    }

    /// <summary>Adds <paramref name="key"/> (known to be missing), clean, with a default value; returns its entry position.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private int Insert(ReadOnlySpan<byte> key, uint hash)
    {
        if (key.Length > MaxKeyLength)
        {
            throw new ArgumentException($"A state key may have at most {MaxKeyLength} bytes; this one has {key.Length}.", nameof(key));
        }

        if (_occupied >= _growAt)
        {
            ResizeIndex(_buckets.Length < MinBuckets ? MinBuckets : _buckets.Length * 2);
        }

        int index;
        if (_freeList >= 0)
        {
            index = _freeList;
            _freeList = unchecked((int)_entries[index].Key0);
        }
        else
        {
            if (_entriesUsed == _entries.Length)
            {
                Array.Resize(ref _entries, GrowSize(_entries.Length, _entriesUsed + 1, 8));
            }

            index = _entriesUsed++;
        }

        ref Entry entry = ref _entries[index];
        entry.Hash = hash;
        if (key.Length <= KeyHash.InlineLength)
        {
            KeyHash.LoadInline(key, out entry.Key0, out entry.Key1);
        }
        else
        {
            entry.Key0 = (ulong)AppendKey(key);
            entry.Key1 = 0;
        }

        entry.Meta = key.Length + 1;
        _buckets[FreeBucket(_buckets, hash)] = Bucket(_buckets, hash, index);
        _occupied++;
        _count++;
        _version++;
        return index;
    }

    /// <summary>An existing key handed out for writing: revives a removed key (with default state) or marks a clean one dirty.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Touch(int index)
    {
        ref Entry entry = ref _entries[index];
        if ((entry.Meta & RemovedFlag) != 0)
        {
            // Removed in this batch, so already dirty: back with fresh state, still one change.
            entry.Meta &= ~RemovedFlag;
            entry.Value = TState.CreateDefault();
            _count++;
            _version++;
        }
        else if (entry.Meta >= 0)
        {
            MarkDirty(index);
        }
    }

    private void MarkDirty(int index)
    {
        _entries[index].Meta |= DirtyFlag;
        if (_dirtyCount == _dirty.Length)
        {
            Array.Resize(ref _dirty, GrowSize(_dirty.Length, _dirtyCount + 1, 16));
        }

        _dirty[_dirtyCount++] = index;
        _dirtySorted = false;
    }

    private void SortDirty()
    {
        if (!_dirtySorted)
        {
            _dirty.AsSpan(0, _dirtyCount).Sort(_keyOrder);
            _dirtySorted = true;
        }
    }

    /// <summary>Ordinal order of the keys of two entries.</summary>
    private int CompareKeys(int a, int b)
    {
        ref Entry x = ref _entries[a];
        ref Entry y = ref _entries[b];
        int xLength = (x.Meta & LengthMask) - 1;
        int yLength = (y.Meta & LengthMask) - 1;
        if (xLength <= KeyHash.InlineLength && yLength <= KeyHash.InlineLength)
        {
            // Zero-padded words compared as big-endian numbers order like the bytes; equal words: the shorter key first.
            int c = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(x.Key0).CompareTo(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(y.Key0));
            if (c == 0)
            {
                c = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(x.Key1).CompareTo(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(y.Key1));
            }

            return c != 0 ? c : xLength.CompareTo(yLength);
        }

        Span<byte> xInline = stackalloc byte[KeyHash.InlineLength];
        Span<byte> yInline = stackalloc byte[KeyHash.InlineLength];
        return KeySpan(ref x, xInline).SequenceCompareTo(KeySpan(ref y, yInline));
    }

    /// <summary>The key of an entry: a slice of the key arena, or written into <paramref name="inline"/> (16 bytes) for a short key.</summary>
    private ReadOnlySpan<byte> KeySpan(ref Entry entry, Span<byte> inline)
    {
        int length = (entry.Meta & LengthMask) - 1;
        if (length > KeyHash.InlineLength)
        {
            return _keys.AsSpan((int)entry.Key0, length);
        }

        Span<byte> key = inline[..length];
        KeyHash.StoreInline(entry.Key0, entry.Key1, key);
        return key;
    }

    private byte[] KeyOf(int index)
    {
        Span<byte> inline = stackalloc byte[KeyHash.InlineLength];
        return KeySpan(ref _entries[index], inline).ToArray();
    }

    /// <summary>Deletes entry <paramref name="index"/>: its bucket (shifting back the buckets after it that may move closer to their home), then the entry itself, onto the free list.</summary>
    private void Free(int index)
    {
        uint[] buckets = _buckets;
        uint mask = (uint)buckets.Length - 1;
        ref Entry entry = ref _entries[index];
        uint target = Bucket(buckets, entry.Hash, index);
        uint hole = entry.Hash & mask;
        while (buckets[hole] != target)
        {
            hole = (hole + 1) & mask;
        }

        uint next = hole;
        while (true)
        {
            next = (next + 1) & mask;
            uint bucket = buckets[next];
            if (bucket == 0)
            {
                break;
            }

            uint home = _entries[(int)(bucket & mask) - 1].Hash & mask;
            // The bucket at `next` may fill the hole when the hole lies between its home and `next` (cyclically).
            if (((next - home) & mask) >= ((next - hole) & mask))
            {
                buckets[hole] = bucket;
                hole = next;
            }
        }

        buckets[hole] = 0;

        int length = (entry.Meta & LengthMask) - 1;
        if (length > KeyHash.InlineLength)
        {
            _keysGarbage += length;
        }

        entry = default;
        entry.Key0 = unchecked((ulong)_freeList);
        _freeList = index;
        _occupied--;
        _version++;
    }

    private void EnsureCapacity(int keys)
    {
        if (keys > _growAt)
        {
            int capacity = MinBuckets;
            while (MaxLoad(capacity) < keys)
            {
                capacity *= 2;
            }

            ResizeIndex(capacity);
        }

        if (keys > _entries.Length)
        {
            Array.Resize(ref _entries, keys);
        }
    }

    /// <summary>
    /// How many entries an index of <paramref name="capacity"/> buckets takes before it doubles: seven eighths. The
    /// tags keep probing cheap at that load (sixteen buckets per cache line, most non-matching ones skipped without
    /// reading their entry), and a small index is what stays in the CPU caches.
    /// </summary>
    private static int MaxLoad(int capacity) => capacity - (capacity >> 3);

    /// <summary>Rebuilds the index with <paramref name="capacity"/> buckets (a power of two).</summary>
    private void ResizeIndex(int capacity)
    {
        if (capacity > 1 << 30)
        {
            throw new InvalidOperationException($"A state store cannot hold more than {MaxLoad(1 << 30)} keys per partition.");
        }

        var buckets = new uint[capacity];
        for (int i = 0; i < _entriesUsed; i++)
        {
            ref Entry entry = ref _entries[i];
            if (entry.Meta != 0)
            {
                buckets[FreeBucket(buckets, entry.Hash)] = Bucket(buckets, entry.Hash, i);
            }
        }

        _buckets = buckets;
        _growAt = MaxLoad(capacity);
    }

    /// <summary>The bucket of entry <paramref name="index"/>: its position + 1 under the mask, the hash's tag above.</summary>
    private static uint Bucket(uint[] buckets, uint hash, int index)
    {
        uint mask = (uint)buckets.Length - 1;
        return (hash & ~mask) | (uint)(index + 1);
    }

    private static uint FreeBucket(uint[] buckets, uint hash)
    {
        uint mask = (uint)buckets.Length - 1;
        uint i = hash & mask;
        while (buckets[i] != 0)
        {
            i = (i + 1) & mask;
        }

        return i;
    }

    private int AppendKey(ReadOnlySpan<byte> key)
    {
        if (_keys.Length - _keysUsed < key.Length)
        {
            CompactKeysIfWasteful();
            if (_keys.Length - _keysUsed < key.Length)
            {
                Array.Resize(ref _keys, GrowSize(_keys.Length, _keysUsed + key.Length, 1024));
            }
        }

        int offset = _keysUsed;
        key.CopyTo(_keys.AsSpan(offset));
        _keysUsed += key.Length;
        return offset;
    }

    /// <summary>Rewrites the key arena without the bytes of freed keys once they are at least half of it.</summary>
    private void CompactKeysIfWasteful()
    {
        if (_keysGarbage < 4096 || _keysGarbage < _keysUsed / 2)
        {
            return;
        }

        var keys = new byte[GrowSize(0, _keysUsed - _keysGarbage, 1024)];
        int used = 0;
        for (int i = 0; i < _entriesUsed; i++)
        {
            ref Entry entry = ref _entries[i];
            int length = (entry.Meta & LengthMask) - 1;
            if (length > KeyHash.InlineLength)
            {
                _keys.AsSpan((int)entry.Key0, length).CopyTo(keys.AsSpan(used));
                entry.Key0 = (ulong)used;
                used += length;
            }
        }

        _keys = keys;
        _keysUsed = used;
        _keysGarbage = 0;
    }

    private static int GrowSize(int current, int needed, int minimum)
    {
        long size = Math.Max(Math.Max(current * 2L, needed), minimum);
        return (int)Math.Min(size, Array.MaxLength);
    }

    private void ClearContent()
    {
        if (_buckets != NoBuckets)
        {
            Array.Clear(_buckets);
        }

        Array.Clear(_entries, 0, _entriesUsed);
        _entriesUsed = 0;
        _freeList = -1;
        _occupied = 0;
        _count = 0;
        _version++;
        _keysUsed = 0;
        _keysGarbage = 0;
        _dirtyCount = 0;
        _dirtySorted = true;
    }

    private void ThrowIfChanged(int version)
    {
        if (_version != version)
        {
            throw new InvalidOperationException("A key was added to or removed from the store while its entries were being enumerated.");
        }
    }

    private static InvalidOperationException UncommittedChanges() =>
        new("Apply was called for a key with uncommitted changes; restore must run before processing.");

    private struct Entry
    {
        /// <summary>Key of at most 16 bytes: its bytes as two little-endian words, zero-padded. Longer key: Key0 is its offset in the key arena. Free entry: Key0 is the next free entry.</summary>
        public ulong Key0;

        public ulong Key1;

        /// <summary>The key's hash (<see cref="KeyHash"/>).</summary>
        public uint Hash;

        /// <summary>0 for a free entry; else key length + 1, with <see cref="DirtyFlag"/> and <see cref="RemovedFlag"/>.</summary>
        public int Meta;

        public TState Value;
    }
}
