using Kappa.State;

namespace Kappa.Runtime.Tests.State;

public class KeyValueStoreTests
{
    private static byte[] K(string key) => System.Text.Encoding.UTF8.GetBytes(key);

    [Fact]
    public void GetOrAdd_returns_a_reference_that_updates_the_stored_state()
    {
        var store = new KeyValueStore<Totals>();
        ref Totals t = ref store.GetOrAdd(K("eu"));
        t.Orders++;
        t.Revenue += 10m;
        store.GetOrAdd(K("eu")).Orders++;

        Assert.True(store.TryGetValue(K("eu"), out Totals read));
        Assert.Equal(2, read.Orders);
        Assert.Equal(10m, read.Revenue);
        Assert.Equal(1, store.Count);
        Assert.False(store.TryGetValue(K("us"), out _));
    }

    [Fact]
    public void New_class_state_starts_from_its_declared_defaults()
    {
        var store = new KeyValueStore<CounterV2>();
        CounterV2 state = store.GetOrAdd(K("a"));
        Assert.NotNull(state);
        Assert.Equal(7, state.Added);
        Assert.Equal(["default"], state.Tags);
    }

    [Fact]
    public void Keys_compare_by_bytes_not_by_array_identity()
    {
        var store = new KeyValueStore<Totals>();
        store.GetOrAdd(new byte[] { 1, 2, 3 }).Orders = 5;
        Assert.True(store.ContainsKey(new byte[] { 1, 2, 3 }));
        Assert.False(store.ContainsKey(new byte[] { 1, 2 }));
        Assert.False(store.ContainsKey(ReadOnlySpan<byte>.Empty));
        store.GetOrAdd(ReadOnlySpan<byte>.Empty).Orders = 1;
        Assert.True(store.ContainsKey([]));
        Assert.Equal(2, store.Count);
    }

    [Fact]
    public void Lookup_of_an_existing_key_does_not_allocate()
    {
        var store = new KeyValueStore<Totals>();
        byte[] key = K("region-1");
        store.GetOrAdd(key);
        store.MarkClean(0);
        for (int i = 0; i < 100; i++)
        {
            store.GetOrAdd(key).Orders++;
            store.MarkClean(i);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            ref Totals t = ref store.GetOrAdd(key);
            t.Orders++;
            store.TryGetValue(key, out _);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Steady_state_batch_commit_of_struct_state_does_not_allocate()
    {
        var store = new KeyValueStore<Totals>();
        byte[][] keys = [.. Enumerable.Range(0, 32).Select(i => K("key-" + i))];
        long total = 0;
        StateChangeHandler handler = (key, value, tombstone) => total += value.Length;
        for (int round = 0; round < 20; round++)
        {
            foreach (byte[] key in keys.Reverse())
            {
                store.GetOrAdd(key).Orders++;
            }

            store.WriteChanges(handler);
            store.MarkClean(round);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int round = 0; round < 20; round++)
        {
            for (int i = keys.Length - 1; i >= 0; i--)
            {
                store.GetOrAdd(keys[i]).Revenue += 1m;
            }

            store.WriteChanges(handler);
            store.MarkClean(round);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(total > 0);
    }

    [Fact]
    public void Changes_are_written_once_per_key_in_ordinal_order_with_tombstones()
    {
        var store = new KeyValueStore<Totals>();
        store.GetOrAdd(K("b")).Orders = 1;
        store.GetOrAdd(K("a")).Orders = 2;
        store.GetOrAdd(K("c")).Orders = 3;
        store.GetOrAdd(K("b")).Orders = 4;
        store.MarkClean(10);
        Assert.Equal(0, store.DirtyCount);
        Assert.Equal(10, store.ChangelogOffset);

        store.GetOrAdd(K("c")).Orders = 30;
        store.Remove(K("a"));
        store.GetOrAdd(K("\u00ff")).Orders = 5; // UTF-8 C3 BF sorts after 'c'
        store.GetOrAdd(K("B")).Orders = 6;
        store.Remove(K("B"));
        store.GetOrAdd(K("B")).Orders = 7; // removed and re-added: one change, the final value

        var changes = new List<(string Key, long? Orders)>();
        int count = store.WriteChanges((key, value, tombstone) =>
            changes.Add((System.Text.Encoding.UTF8.GetString(key), tombstone ? null : StateSerializer.Deserialize<Totals>(value).Orders)));

        Assert.Equal(4, count);
        Assert.Equal([("B", 7L), ("a", null), ("c", 30L), ("\u00ff", 5L)], changes);

        // Not cleared until the commit is confirmed.
        Assert.Equal(4, store.WriteChanges((_, _, _) => { }));
        store.MarkClean(20);
        Assert.Equal(0, store.WriteChanges((_, _, _) => Assert.Fail("no changes expected")));
    }

    [Fact]
    public void Checksum_depends_on_content_not_on_update_order()
    {
        var a = new KeyValueStore<Totals>();
        var b = new KeyValueStore<Totals>();
        foreach (string key in new[] { "x", "y", "z" })
        {
            a.GetOrAdd(K(key)).Orders = key[0];
        }

        foreach (string key in new[] { "z", "w", "y", "x" })
        {
            b.GetOrAdd(K(key)).Orders = key[0];
        }

        b.Remove(K("w"));
        Assert.Equal(a.ComputeChecksum(), b.ComputeChecksum());
        b.GetOrAdd(K("y")).Revenue = 0.01m;
        Assert.NotEqual(a.ComputeChecksum(), b.ComputeChecksum());
        Assert.Equal(32, new KeyValueStore<Totals>().ComputeChecksum().Length);
    }

    [Fact]
    public void Removing_a_missing_key_is_not_a_change()
    {
        var store = new KeyValueStore<Totals>();
        Assert.False(store.Remove(K("x")));
        Assert.Equal(0, store.DirtyCount);
    }

    [Fact]
    public void Apply_restores_changelog_records_without_marking_them_dirty()
    {
        var source = new KeyValueStore<Totals>();
        source.GetOrAdd(K("a")).Orders = 1;
        source.GetOrAdd(K("b")).Orders = 2;
        var log = new List<(byte[] Key, byte[] Value, bool Tombstone)>();
        source.WriteChanges((k, v, t) => log.Add((k.ToArray(), v.ToArray(), t)));
        source.MarkClean(1);
        source.Remove(K("a"));
        source.GetOrAdd(K("b")).Orders = 3;
        source.WriteChanges((k, v, t) => log.Add((k.ToArray(), v.ToArray(), t)));

        var restored = new KeyValueStore<Totals>();
        foreach (var (key, value, tombstone) in log)
        {
            restored.Apply(key, value, tombstone);
        }

        Assert.Equal(0, restored.DirtyCount);
        Assert.False(restored.ContainsKey(K("a")));
        Assert.True(restored.TryGetValue(K("b"), out Totals b));
        Assert.Equal(3, b.Orders);
        Assert.Throws<StateFormatException>(() => restored.Apply(K("c"), [1, 2, 3], isTombstone: false));
    }

    [Fact]
    public void Apply_over_an_uncommitted_change_is_refused()
    {
        var store = new KeyValueStore<Totals>();
        store.GetOrAdd(K("a")).Orders = 1;
        byte[] value = StateSerializer.SerializeToArray(new Totals { Orders = 9 });
        Assert.Throws<InvalidOperationException>(() => store.Apply(K("a"), value, isTombstone: false));
    }
}
