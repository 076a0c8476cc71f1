using Kappa.State;

namespace Kappa.Runtime.Tests.State;

/// <summary>
/// <see cref="KeyValueStore{TState}"/> against a model (a dictionary of live keys plus the set of keys changed since the
/// last commit) over long random sequences of every operation: adds, updates through the reference, Set, removes,
/// re-adds, commits (WriteChanges + MarkClean), restores (Apply), Clear, snapshots, ordered enumeration and checksums.
/// Keys have 0 to 300 bytes, many of them short and alike (shared prefixes, trailing zero bytes, the 8/16/17-byte
/// boundaries of the inline key layout), and the key pools are sized so the table grows, frees and reuses entries.
/// </summary>
public sealed class KeyValueStoreModelTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "kappa-kvstore-model-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Theory]
    [InlineData(1, 8, 4_000)]
    [InlineData(2, 40, 20_000)]
    [InlineData(3, 600, 40_000)]
    [InlineData(4, 5_000, 60_000)]
    [InlineData(5, 20, 20_000)]
    public void Random_operations_match_a_dictionary_model(int seed, int poolSize, int operations)
    {
        var random = new Random(seed);
        byte[][] pool = KeyPool(random, poolSize);
        var model = new Model();
        var store = new KeyValueStore<Totals>();
        long offset = 0;
        long committed = -1;

        for (int op = 0; op < operations; op++)
        {
            byte[] key = pool[random.Next(pool.Length)];
            int choice = random.Next(100);
            if (choice < 30)
            {
                ref Totals state = ref store.GetOrAdd(key);
                Totals expected = model.Live.TryGetValue(key, out Totals current) ? current : default;
                Assert.Equal(expected, state);
                state.Orders += op;
                state.Revenue += 0.5m;
                expected.Orders += op;
                expected.Revenue += 0.5m;
                model.Live[key] = expected;
                model.Dirty.Add(key);
            }
            else if (choice < 42)
            {
                var value = new Totals { Orders = -op, Revenue = op };
                store.Set(key, value);
                model.Live[key] = value;
                model.Dirty.Add(key);
            }
            else if (choice < 60)
            {
                bool removed = store.Remove(key);
                Assert.Equal(model.Live.Remove(key), removed);
                if (removed)
                {
                    model.Dirty.Add(key);
                }
            }
            else if (choice < 72)
            {
                Assert.Equal(model.Live.TryGetValue(key, out Totals expected), store.TryGetValue(key, out Totals actual));
                Assert.Equal(expected, actual);
                Assert.Equal(model.Live.ContainsKey(key), store.ContainsKey(key));
            }
            else if (choice < 80)
            {
                // A changelog record applied during restore: refused for a key with uncommitted changes.
                bool tombstone = random.Next(3) == 0;
                var value = new Totals { Orders = op, Revenue = -1 };
                byte[] bytes = tombstone ? [] : StateSerializer.SerializeToArray(value);
                if (model.Dirty.Contains(key))
                {
                    Assert.Throws<InvalidOperationException>(() => store.Apply(key, bytes, tombstone));
                }
                else
                {
                    store.Apply(key, bytes, tombstone);
                    if (tombstone)
                    {
                        model.Live.Remove(key);
                    }
                    else
                    {
                        model.Live[key] = value;
                    }
                }
            }
            else if (choice < 88)
            {
                AssertChangesAndCommit(store, model, ++offset);
                committed = offset;
            }
            else if (choice < 92)
            {
                Assert.Equal(model.SortedDirty().Select(Hex), store.GetDirtyKeys().Select(Hex));
            }
            else if (choice < 95 && random.Next(1 + (poolSize / 100)) == 0)
            {
                // A full comparison (less often for large pools: it costs a pass over every key).
                AssertSameContent(model, store);
            }
            else if (choice < 96 && model.Dirty.Count == 0)
            {
                // Snapshot, then load it into a new store and over this one (replacing the content).
                string path = Path.Combine(_dir, $"s{seed}-{op}.snapshot");
                store.WriteSnapshot(path);
                var loaded = new KeyValueStore<Totals>();
                Assert.True(loaded.TryLoadSnapshot(path, out string? failure), failure);
                AssertSameContent(model, loaded);
                Assert.Equal(store.ComputeChecksum(), loaded.ComputeChecksum());
                store.GetOrAdd(key).Orders = 12345; // replaced by the load
                Assert.True(store.TryLoadSnapshot(path, out failure), failure);
                Assert.Equal(0, store.DirtyCount);
                Assert.Equal(committed, store.ChangelogOffset);
            }
            else if (choice == 99 && random.Next(20) == 0)
            {
                store.Clear();
                model.Live.Clear();
                model.Dirty.Clear();
                committed = -1;
                Assert.Equal(-1, store.ChangelogOffset);
            }

            Assert.Equal(model.Live.Count, store.Count);
            Assert.Equal(model.Dirty.Count, store.DirtyCount);
        }

        AssertChangesAndCommit(store, model, ++offset);
        AssertSameContent(model, store);
    }

    [Fact]
    public void Keys_with_the_same_hash_are_kept_apart()
    {
        // The hash is seeded per process: find keys whose 32-bit hashes collide in this process (birthday bound).
        List<byte[]> inline = CollidingKeys(length: 8);
        List<byte[]> longKeys = CollidingKeys(length: 40);
        Assert.True(inline.Count >= 4, "expected to find colliding 8-byte keys");
        Assert.True(longKeys.Count >= 4, "expected to find colliding 40-byte keys");

        var store = new KeyValueStore<Totals>();
        var all = inline.Concat(longKeys).ToList();
        for (int i = 0; i < all.Count; i++)
        {
            store.GetOrAdd(all[i]).Orders = i;
        }

        for (int i = 0; i < all.Count; i++)
        {
            Assert.True(store.TryGetValue(all[i], out Totals t));
            Assert.Equal(i, t.Orders);
        }

        store.MarkClean(1);
        // Remove every other key, commit (frees them), and check the rest is still found.
        for (int i = 0; i < all.Count; i += 2)
        {
            Assert.True(store.Remove(all[i]));
        }

        store.MarkClean(2);
        for (int i = 0; i < all.Count; i++)
        {
            Assert.Equal(i % 2 == 1, store.TryGetValue(all[i], out Totals t));
            Assert.Equal(i % 2 == 1 ? i : 0, t.Orders);
        }

        Assert.Equal(all.Count / 2, store.Count);
    }

    [Fact]
    public void Keys_of_every_length_up_to_300_bytes_round_trip_in_ordinal_order()
    {
        var store = new KeyValueStore<Totals>();
        var keys = new List<byte[]>();
        for (int length = 0; length <= 300; length++)
        {
            // Three keys per length: all zeros (equal padding to shorter all-zero keys), a rising pattern, and 0xFF.
            keys.Add(new byte[length]);
            keys.Add([.. Enumerable.Range(0, length).Select(i => (byte)(i * 7 + length))]);
            keys.Add([.. Enumerable.Repeat((byte)0xFF, length)]);
        }

        keys = [.. keys.DistinctBy(Hex)];
        foreach (byte[] key in keys)
        {
            store.Set(key, new Totals { Orders = key.Length, Revenue = key.Length == 0 ? 0 : key[^1] });
        }

        var changes = new List<(string Key, long Orders)>();
        store.WriteChanges((key, value, tombstone) => changes.Add((Convert.ToHexString(key), StateSerializer.Deserialize<Totals>(value).Orders)));
        keys.Sort(ByteKeyComparer.Instance);
        Assert.Equal(keys.Select(k => (Hex(k), (long)k.Length)), changes);
        store.MarkClean(1);

        Assert.Equal(keys.Select(Hex), store.EnumerateOrdered().Select(e => Hex(e.Key)));
        foreach (byte[] key in keys)
        {
            Assert.True(store.TryGetValue(key, out Totals t));
            Assert.Equal(key.Length, t.Orders);
        }
    }

    [Fact]
    public void A_large_store_grows_frees_and_reuses_entries()
    {
        var store = new KeyValueStore<Totals>();
        const int Keys = 200_000;
        var key = new byte[8];
        for (int i = 0; i < Keys; i++)
        {
            BitConverter.TryWriteBytes(key, (long)i);
            store.GetOrAdd(key).Orders = i;
        }

        Assert.Equal(Keys, store.DirtyCount);
        store.MarkClean(1);
        for (int i = 0; i < Keys; i += 2)
        {
            BitConverter.TryWriteBytes(key, (long)i);
            Assert.True(store.Remove(key));
        }

        store.MarkClean(2);
        Assert.Equal(Keys / 2, store.Count);
        // New keys take the freed entries.
        for (int i = 0; i < Keys / 2; i++)
        {
            BitConverter.TryWriteBytes(key, (long)(Keys + i));
            store.Set(key, new Totals { Orders = -i });
        }

        store.MarkClean(3);
        Assert.Equal(Keys, store.Count);
        for (int i = 0; i < Keys; i++)
        {
            BitConverter.TryWriteBytes(key, (long)i);
            Assert.Equal(i % 2 == 1, store.TryGetValue(key, out Totals t));
            Assert.Equal(i % 2 == 1 ? i : 0, t.Orders);
            BitConverter.TryWriteBytes(key, (long)(Keys + i));
            Assert.Equal(i < Keys / 2, store.TryGetValue(key, out t));
            Assert.Equal(i < Keys / 2 ? -i : 0, t.Orders);
        }

        Assert.Equal(Keys, store.EnumerateOrdered().Count());
    }

    [Fact]
    public void Adding_a_key_while_enumerating_is_refused_and_updating_a_value_is_seen()
    {
        var store = new KeyValueStore<Totals>();
        store.GetOrAdd(K("a")).Orders = 1;
        store.GetOrAdd(K("b")).Orders = 2;
        using (var e = store.EnumerateOrdered().GetEnumerator())
        {
            Assert.True(e.MoveNext());
            store.GetOrAdd(K("b")).Orders = 20;
            Assert.True(e.MoveNext());
            Assert.Equal(20, e.Current.Value.Orders);
        }

        using var changed = store.EnumerateOrdered().GetEnumerator();
        Assert.True(changed.MoveNext());
        store.GetOrAdd(K("c"));
        Assert.Throws<InvalidOperationException>(() => changed.MoveNext());
    }

    [Fact]
    public void Removing_and_re_adding_a_key_in_one_batch_is_one_change_with_fresh_state()
    {
        var store = new KeyValueStore<Totals>();
        store.GetOrAdd(K("a")).Orders = 5;
        store.MarkClean(1);

        Assert.True(store.Remove(K("a")));
        Assert.False(store.Remove(K("a")));
        Assert.False(store.TryGetValue(K("a"), out _));
        Assert.Equal(0, store.Count);
        Assert.Equal(1, store.DirtyCount);

        Assert.Equal(default, store.GetOrAdd(K("a")));
        Assert.Equal(1, store.Count);
        Assert.Equal(1, store.DirtyCount);

        Assert.True(store.Remove(K("a")));
        var changes = new List<bool>();
        Assert.Equal(1, store.WriteChanges((_, _, tombstone) => changes.Add(tombstone)));
        Assert.Equal([true], changes);
        store.MarkClean(2);
        Assert.Equal(0, store.DirtyCount);
        Assert.False(store.ContainsKey(K("a")));
    }

    [Fact]
    public void Class_state_survives_growth_and_removal_of_other_keys()
    {
        var store = new KeyValueStore<CounterV2>();
        CounterV2 first = store.GetOrAdd(K("first"));
        first.Label = "kept";
        for (int i = 0; i < 1000; i++)
        {
            store.GetOrAdd(K("k" + i)).Count = i;
        }

        for (int i = 0; i < 1000; i += 3)
        {
            store.Remove(K("k" + i));
        }

        store.MarkClean(1);
        Assert.Same(first, store.GetOrAdd(K("first")));
        Assert.Equal("kept", store.GetOrAdd(K("first")).Label);
        Assert.Equal(1 + 1000 - 334, store.Count);
        Assert.Equal(7, store.GetOrAdd(K("new")).Added);

        // Removed and handed out again in the same batch: fresh defaults, not the removed state.
        store.GetOrAdd(K("first")).Added = 100;
        store.MarkClean(2);
        Assert.True(store.Remove(K("first")));
        CounterV2 again = store.GetOrAdd(K("first"));
        Assert.NotSame(first, again);
        Assert.Equal(7, again.Added);
        Assert.Null(again.Label);
    }

    [Fact]
    public void Lookups_of_long_keys_and_commits_do_not_allocate()
    {
        var store = new KeyValueStore<Totals>();
        byte[][] keys = [.. Enumerable.Range(0, 64).Select(i => K(new string('x', 20 + i) + i))];
        StateChangeHandler handler = (_, _, _) => { };
        for (int round = 0; round < 3; round++)
        {
            foreach (byte[] key in keys)
            {
                store.GetOrAdd(key).Orders++;
            }

            store.WriteChanges(handler);
            store.MarkClean(round);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int round = 0; round < 10; round++)
        {
            foreach (byte[] key in keys)
            {
                store.GetOrAdd(key).Orders++;
                store.TryGetValue(key, out _);
            }

            store.WriteChanges(handler);
            store.MarkClean(round);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static void AssertChangesAndCommit(KeyValueStore<Totals> store, Model model, long offset)
    {
        var changes = new List<(string Key, Totals? Value)>();
        int count = store.WriteChanges((key, value, tombstone) =>
            changes.Add((Convert.ToHexString(key), tombstone ? null : StateSerializer.Deserialize<Totals>(value))));
        var expected = model.SortedDirty().Select(k => (Hex(k), model.Live.TryGetValue(k, out Totals v) ? v : (Totals?)null)).ToList();
        Assert.Equal(expected.Count, count);
        Assert.Equal(expected, changes);

        store.MarkClean(offset);
        model.Dirty.Clear();
        Assert.Equal(0, store.DirtyCount);
        Assert.Equal(offset, store.ChangelogOffset);
        Assert.Equal(0, store.WriteChanges((_, _, _) => Assert.Fail("no changes expected after MarkClean")));
    }

    private static void AssertSameContent(Model model, KeyValueStore<Totals> store)
    {
        var expected = model.Live.OrderBy(e => e.Key, ByteKeyComparer.Instance).Select(e => (Hex(e.Key), e.Value)).ToList();
        Assert.Equal(expected, store.EnumerateOrdered().Select(e => (Hex(e.Key), e.Value)));

        var rebuilt = new KeyValueStore<Totals>();
        foreach (var (key, value) in model.Live.Reverse())
        {
            rebuilt.Set(key, value);
        }

        Assert.Equal(rebuilt.ComputeChecksum(), store.ComputeChecksum());
        Assert.Equal(
            rebuilt.EnumerateEntryChecksums().Select(e => (Hex(e.Key), Hex(e.Value))),
            store.EnumerateEntryChecksums().Select(e => (Hex(e.Key), Hex(e.Value))));
    }

    /// <summary>Keys of 0-300 bytes, mostly short, many alike.</summary>
    private static byte[][] KeyPool(Random random, int size)
    {
        var keys = new Dictionary<string, byte[]>();
        // Fixed awkward ones: empty, trailing zero bytes, the inline/arena boundaries.
        foreach (byte[] key in new byte[][] { [], [0], [0, 0], new byte[7], new byte[8], new byte[9], new byte[16], new byte[17], [1], [1, 0], [0xFF] })
        {
            keys[Hex(key)] = key;
        }

        while (keys.Count < size)
        {
            int kind = random.Next(10);
            int length = kind switch
            {
                < 4 => random.Next(0, 9),
                < 7 => random.Next(9, 18),
                < 9 => random.Next(18, 64),
                _ => random.Next(64, 301),
            };
            var key = new byte[length];
            // Small alphabets so keys share prefixes and differ in one byte.
            int alphabet = random.Next(2) == 0 ? 3 : 256;
            for (int i = 0; i < length; i++)
            {
                key[i] = (byte)random.Next(alphabet);
            }

            keys[Hex(key)] = key;
        }

        return [.. keys.Values];
    }

    private static List<byte[]> CollidingKeys(int length)
    {
        var seen = new Dictionary<uint, byte[]>();
        var found = new Dictionary<string, byte[]>();
        var key = new byte[length];
        for (long i = 0; found.Count < 6 && i < 3_000_000; i++)
        {
            BitConverter.TryWriteBytes(key, i);
            uint hash;
            if (length <= KeyHash.InlineLength)
            {
                KeyHash.LoadInline(key, out ulong low, out ulong high);
                hash = KeyHash.Inline(low, high, length + 1);
            }
            else
            {
                hash = KeyHash.Long(key);
            }

            if (seen.TryGetValue(hash, out byte[]? other))
            {
                found[Hex(other)] = other;
                found[Hex(key)] = (byte[])key.Clone();
            }
            else
            {
                seen[hash] = (byte[])key.Clone();
            }
        }

        return [.. found.Values];
    }

    private static byte[] K(string key) => System.Text.Encoding.UTF8.GetBytes(key);

    private static string Hex(byte[] key) => Convert.ToHexString(key);

    private sealed class Model
    {
        public Dictionary<byte[], Totals> Live { get; } = new(ByteKeyComparer.Instance);

        public HashSet<byte[]> Dirty { get; } = new(ByteKeyComparer.Instance);

        public List<byte[]> SortedDirty() => [.. Dirty.OrderBy(k => k, ByteKeyComparer.Instance)];
    }
}
