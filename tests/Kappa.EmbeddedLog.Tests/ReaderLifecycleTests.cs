using Kappa.Log;
using Kappa.Log.Format;
using static Kappa.Log.Tests.LogTestSupport;

namespace Kappa.Log.Tests;

/// <summary>Readers keep working while retention deletes and compaction replaces the segments under them.</summary>
public class ReaderLifecycleTests
{
    private static List<(byte[]? Key, byte[]? Value, long Timestamp)> Batch(int start, int count, long ts) =>
        Enumerable.Range(start, count).Select(i => ((byte[]?)Bytes($"k{i % 5}"), (byte[]?)Bytes($"v{i}"), ts)).ToList();

    [Fact]
    public void RetentionDeletingTheSegmentBeingRead_DoesNotDisturbTheReader()
    {
        using var dir = new TempDir();
        var time = new ManualTime();
        using EmbeddedLog log = EmbeddedLog.Open(Options(dir.Path, time));
        log.EnsureTopic("t", new TopicConfig(1) { Retention = TimeSpan.FromHours(1) });
        PartitionLog p = log.GetPartition("t", 0);
        for (int s = 0; s < 3; s++)
        {
            AppendBatch(p, Batch(s * 10, 10, time.NowMs));
            p.Roll();
        }

        using PartitionReader reader = p.OpenReader(0);
        Assert.True(reader.TryRead(out BatchRecord first));
        Assert.Equal(0, first.Offset);
        time.NowMs += 2 * 3600_000;
        AppendBatch(p, Batch(30, 10, time.NowMs));
        Assert.Equal(3, p.ApplyRetention());
        var offsets = new List<long>();
        while (reader.TryRead(out BatchRecord r))
        {
            offsets.Add(r.Offset);
        }

        // The open segment stays readable to the end through the reader's handle; the deleted ones after it are skipped.
        Assert.Equal(Enumerable.Range(1, 9).Concat(Enumerable.Range(30, 10)).Select(i => (long)i), offsets);
        reader.Seek(0);
        Assert.True(reader.TryRead(out BatchRecord afterSeek));
        Assert.Equal(30, afterSeek.Offset);
    }

    [Fact]
    public void CompactionReplacingTheSegmentBeingRead_KeepsOffsetsConsistent()
    {
        using var dir = new TempDir();
        using EmbeddedLog log = EmbeddedLog.Open(Options(dir.Path));
        log.EnsureTopic("c", new TopicConfig(1, Compacted: true));
        PartitionLog p = log.GetPartition("c", 0);
        for (int s = 0; s < 4; s++)
        {
            AppendBatch(p, Batch(s * 10, 10, 1000));
            p.Roll();
        }

        AppendBatch(p, Batch(40, 10, 1000));
        using PartitionReader reader = p.OpenReader(0);
        Assert.True(reader.TryRead(out BatchRecord first));
        Assert.True(p.Compact() > 0);
        long last = first.Offset;
        int count = 1;
        while (reader.TryRead(out BatchRecord r))
        {
            Assert.True(r.Offset > last);
            last = r.Offset;
            count++;
        }

        Assert.Equal(49, last);
        // This reader started before the swap: it finishes the old segment 0 (10 records), then reads the compacted
        // segments (every key there is superseded by the active segment) and the active segment (10 records).
        Assert.Equal(20, count);
        using PartitionReader fresh = p.OpenReader(0);
        var compacted = new List<long>();
        while (fresh.TryRead(out BatchRecord r))
        {
            compacted.Add(r.Offset);
        }

        Assert.Equal(Enumerable.Range(40, 10).Select(i => (long)i), compacted);
    }
}
