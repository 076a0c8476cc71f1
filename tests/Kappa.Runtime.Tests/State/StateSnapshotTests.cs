using Kappa.State;

namespace Kappa.Runtime.Tests.State;

public sealed class StateSnapshotTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "kappa-state-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private static KeyValueStore<CounterV2> Filled(bool reverse)
    {
        var store = new KeyValueStore<CounterV2>();
        int[] ids = reverse ? [5, 4, 3, 2, 1] : [1, 2, 3, 4, 5];
        foreach (int i in ids)
        {
            CounterV2 c = store.GetOrAdd(System.Text.Encoding.UTF8.GetBytes("key-" + i));
            c.Count = i;
            c.Label = "label " + i;
            c.Tags = [.. Enumerable.Range(0, i).Select(n => "t" + n)];
        }

        store.MarkClean(1234);
        return store;
    }

    [Fact]
    public void Snapshot_round_trips_state_and_changelog_offset()
    {
        string path = Path.Combine(_dir, "p0", "store.snapshot");
        Filled(reverse: false).WriteSnapshot(path);

        var loaded = new KeyValueStore<CounterV2>();
        Assert.True(loaded.TryLoadSnapshot(path, out string? failure), failure);
        Assert.Equal(1234, loaded.ChangelogOffset);
        Assert.Equal(5, loaded.Count);
        Assert.True(loaded.TryGetValue("key-3"u8, out CounterV2 c3));
        Assert.Equal(3, c3.Count);
        Assert.Equal("label 3", c3.Label);
        Assert.Equal(["t0", "t1", "t2"], c3.Tags);
        Assert.Equal(0, loaded.DirtyCount);
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public void Snapshot_bytes_do_not_depend_on_insertion_order()
    {
        string a = Path.Combine(_dir, "a.snapshot");
        string b = Path.Combine(_dir, "b.snapshot");
        Filled(reverse: false).WriteSnapshot(a);
        Filled(reverse: true).WriteSnapshot(b);
        Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
    }

    [Fact]
    public void Every_corrupted_byte_is_detected_and_the_store_is_left_unchanged()
    {
        string path = Path.Combine(_dir, "store.snapshot");
        Filled(reverse: false).WriteSnapshot(path);
        byte[] good = File.ReadAllBytes(path);

        var store = new KeyValueStore<CounterV2>();
        store.GetOrAdd("existing"u8).Count = 99;
        store.MarkClean(7);
        for (int i = 0; i < good.Length; i++)
        {
            byte[] bad = [.. good];
            bad[i] ^= 0x5A;
            File.WriteAllBytes(path, bad);
            Assert.False(store.TryLoadSnapshot(path, out string? failure), $"flipped byte {i} went unnoticed");
            Assert.Contains(path, failure, StringComparison.Ordinal);
        }

        Assert.Equal(1, store.Count);
        Assert.Equal(7, store.ChangelogOffset);
        Assert.True(store.TryGetValue("existing"u8, out CounterV2 kept));
        Assert.Equal(99, kept.Count);
    }

    [Fact]
    public void Truncated_and_missing_snapshots_are_reported_not_thrown()
    {
        string path = Path.Combine(_dir, "store.snapshot");
        var store = new KeyValueStore<CounterV2>();
        Assert.False(store.TryLoadSnapshot(path, out string? missing));
        Assert.Contains("no snapshot", missing, StringComparison.Ordinal);

        Filled(reverse: false).WriteSnapshot(path);
        byte[] good = File.ReadAllBytes(path);
        for (int length = 0; length < good.Length; length += 7)
        {
            File.WriteAllBytes(path, good[..length]);
            Assert.False(store.TryLoadSnapshot(path, out string? failure), $"length {length}");
            Assert.NotNull(failure);
        }
    }

    [Fact]
    public void Snapshot_with_uncommitted_changes_is_refused()
    {
        var store = new KeyValueStore<CounterV2>();
        store.GetOrAdd("a"u8).Count = 1;
        Assert.Throws<InvalidOperationException>(() => store.WriteSnapshot(Path.Combine(_dir, "x.snapshot")));
    }

    [Fact]
    public void Crc32C_matches_the_standard_check_value()
    {
        Assert.Equal(0xE3069283u, StateSnapshot.Crc32C("123456789"u8));
        Assert.Equal(0u, StateSnapshot.Crc32C([]));
    }
}
