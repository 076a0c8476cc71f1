using Kappa.Log;
using static Kappa.Log.Tests.LogTestSupport;

namespace Kappa.Log.Tests;

public class PartitionLogTests
{
    private static List<(byte[]? Key, byte[]? Value, long Timestamp)> Records(int start, int count, long ts) =>
        Enumerable.Range(start, count).Select(i => ((byte[]?)Bytes($"k{i}"), (byte[]?)Bytes($"value-{i}-" + new string('x', i % 50)), ts + i)).ToList();

    [Fact]
    public void AppendAndRead_FromAnyOffset_AcrossRolledSegments()
    {
        using var dir = new TempDir();
        EmbeddedLogOptions options = Options(dir.Path);
        options.SegmentBytes = 4096;
        options.IndexIntervalBytes = 512;
        using EmbeddedLog log = EmbeddedLog.Open(options);
        log.EnsureTopic("t", new TopicConfig(1));
        PartitionLog p = log.GetPartition("t", 0);
        int total = 0;
        for (int b = 0; b < 60; b++)
        {
            int n = 1 + (b % 9);
            Assert.Equal(total, AppendBatch(p, Records(total, n, 1000)));
            total += n;
        }

        Assert.True(p.SegmentCount > 3, $"expected several segments, got {p.SegmentCount}");
        Assert.Equal(0, p.LogStartOffset);
        Assert.Equal(total, p.LogEndOffset);
        foreach (string file in Directory.GetFiles(Path.Combine(dir.Path, "t-0"), "*.log"))
        {
            Assert.Matches(@"^\d{20}\.log$", Path.GetFileName(file));
            Assert.True(File.Exists(Path.ChangeExtension(file, ".index")));
            Assert.True(File.Exists(Path.ChangeExtension(file, ".timeindex")));
        }

        for (int from = 0; from <= total; from += 7)
        {
            List<TestRecord> read = ReadAll(p, from);
            Assert.Equal(total - from, read.Count);
            for (int i = 0; i < read.Count; i++)
            {
                Assert.Equal(from + i, read[i].Offset);
                Assert.Equal(Bytes($"k{from + i}"), read[i].Key);
                Assert.Equal(1000 + from + i, read[i].Timestamp);
            }
        }
    }

    [Fact]
    public void Reopen_KeepsDataIndexesAndOffsets()
    {
        using var dir = new TempDir();
        EmbeddedLogOptions options = Options(dir.Path);
        options.SegmentBytes = 8192;
        using (EmbeddedLog log = EmbeddedLog.Open(options))
        {
            log.EnsureTopic("t", new TopicConfig(3));
            for (int b = 0; b < 30; b++)
            {
                AppendBatch(log.GetPartition("t", b % 3), Records(b * 10, 10, 5000));
            }
        }

        using (EmbeddedLog log = EmbeddedLog.Open(Options(dir.Path)))
        {
            Assert.Equal(3, log.GetTopicConfig("t")!.Partitions);
            PartitionLog p = log.GetPartition("t", 1);
            Assert.Equal(100, p.LogEndOffset);
            Assert.Equal(100, ReadAll(p).Count);
            Assert.Equal(100, AppendBatch(p, Records(0, 1, 1)));
        }
    }

    [Fact]
    public void OffsetForTimestamp_FindsFirstRecordAtOrAfter()
    {
        using var dir = new TempDir();
        EmbeddedLogOptions options = Options(dir.Path);
        options.SegmentBytes = 2048;
        options.IndexIntervalBytes = 256;
        using EmbeddedLog log = EmbeddedLog.Open(options);
        log.EnsureTopic("t", new TopicConfig(1));
        PartitionLog p = log.GetPartition("t", 0);
        for (int b = 0; b < 50; b++)
        {
            AppendBatch(p, Records(b * 4, 4, 10_000 + (b * 40)));
        }

        // record i has timestamp 10000 + 36*floor(i/4)... computed: batch b, i = 4b + j -> 10000 + 40b + 4b + j.
        long Ts(int i) => 10_000 + (40 * (i / 4)) + i;
        for (int i = 0; i < 200; i += 3)
        {
            Assert.Equal(i, p.OffsetForTimestamp(Ts(i)));
            Assert.Equal(i, p.OffsetForTimestamp(Ts(i) - (i % 4 == 0 && i > 0 ? 10 : 0)));
        }

        Assert.Equal(0, p.OffsetForTimestamp(0));
        Assert.Null(p.OffsetForTimestamp(Ts(199) + 1));
    }

    [Fact]
    public void SegmentRollsByAge()
    {
        using var dir = new TempDir();
        var time = new ManualTime();
        EmbeddedLogOptions options = Options(dir.Path, time);
        options.SegmentMaxAge = TimeSpan.FromMinutes(10);
        using EmbeddedLog log = EmbeddedLog.Open(options);
        log.EnsureTopic("t", new TopicConfig(1));
        PartitionLog p = log.GetPartition("t", 0);
        AppendBatch(p, Records(0, 5, time.NowMs));
        time.NowMs += 5 * 60_000;
        AppendBatch(p, Records(5, 5, time.NowMs));
        Assert.Equal(1, p.SegmentCount);
        time.NowMs += 6 * 60_000;
        AppendBatch(p, Records(10, 5, time.NowMs));
        Assert.Equal(2, p.SegmentCount);
        Assert.Equal(10, p.Segments[1].BaseOffset);
    }

    [Fact]
    public void RetentionByTime_DeletesWholeOldSegments()
    {
        using var dir = new TempDir();
        var time = new ManualTime();
        EmbeddedLogOptions options = Options(dir.Path, time);
        using EmbeddedLog log = EmbeddedLog.Open(options);
        log.EnsureTopic("t", new TopicConfig(1) { Retention = TimeSpan.FromHours(1) });
        PartitionLog p = log.GetPartition("t", 0);
        long t0 = time.NowMs;
        for (int s = 0; s < 4; s++)
        {
            AppendBatch(p, Records(s * 10, 10, t0 + (s * 30 * 60_000)));
            p.Roll();
        }

        time.NowMs = t0 + (90 * 60_000) + 1000; // segments 0 (t0) and 1 (t0+30m) are older than 1h; 2 (t0+60m) is 30m+1s old... keep
        Assert.Equal(2, p.ApplyRetention());
        Assert.Equal(20, p.LogStartOffset);
        Assert.Equal(20, ReadAll(p, 0)[0].Offset);
        Assert.Equal(40, p.LogEndOffset);
        time.NowMs = t0 + (1000 * 60_000);
        p.ApplyRetention();
        Assert.Equal(40, p.LogStartOffset);
        Assert.Equal(40, p.LogEndOffset);
        Assert.Empty(ReadAll(p));
        Assert.Equal(40, AppendBatch(p, Records(0, 1, time.NowMs)));
    }

    [Fact]
    public void RetentionBySize_KeepsAtLeastTheLimit()
    {
        using var dir = new TempDir();
        using EmbeddedLog log = EmbeddedLog.Open(Options(dir.Path));
        log.EnsureTopic("t", new TopicConfig(1) { RetentionBytes = 3000 });
        PartitionLog p = log.GetPartition("t", 0);
        for (int s = 0; s < 10; s++)
        {
            AppendBatch(p, Records(s * 10, 10, 1));
            p.Roll();
        }

        long segmentSize = p.Segments[0].Size;
        Assert.True(p.ApplyRetention() > 0);
        Assert.True(p.SizeInBytes >= 3000, $"size {p.SizeInBytes}");
        Assert.True(p.SizeInBytes - segmentSize < 3000);
        Assert.Equal(p.LogStartOffset, ReadAll(p)[0].Offset);
    }

    [Fact]
    public void BadConfiguration_GetsClearErrors()
    {
        var e1 = Assert.Throws<ArgumentException>(() => EmbeddedLog.Open(new EmbeddedLogOptions()));
        Assert.Contains("Directory", e1.Message);
        using var dir = new TempDir();
        EmbeddedLogOptions bad = Options(dir.Path);
        bad.SegmentBytes = 10;
        var e2 = Assert.Throws<ArgumentException>(() => EmbeddedLog.Open(bad));
        Assert.Contains("SegmentBytes = 10", e2.Message);
        using EmbeddedLog log = EmbeddedLog.Open(Options(dir.Path));
        log.EnsureTopic("t", new TopicConfig(2));
        var e3 = Assert.Throws<InvalidOperationException>(() => log.EnsureTopic("t", new TopicConfig(3)));
        Assert.Contains("2 partition(s)", e3.Message);
        Assert.Throws<ArgumentException>(() => log.EnsureTopic("bad topic", new TopicConfig(1)));
        var e4 = Assert.Throws<ArgumentOutOfRangeException>(() => log.GetPartition("t", 2));
        Assert.Contains("2 partition(s)", e4.Message);
        File.WriteAllText(Path.Combine(dir.Path, "broken.topic"), "partitions=zero\n");
        log.Dispose();
        var e5 = Assert.Throws<InvalidDataException>(() => EmbeddedLog.Open(Options(dir.Path)));
        Assert.Contains("broken.topic", e5.Message);
        Assert.Contains("line 1", e5.Message);
    }

    [Fact]
    public void SecondOpenOfTheSameDirectory_FailsWithClearError()
    {
        using var dir = new TempDir();
        using EmbeddedLog log = EmbeddedLog.Open(Options(dir.Path));
        var e = Assert.Throws<IOException>(() => EmbeddedLog.Open(Options(dir.Path)));
        Assert.Contains("already open", e.Message);
    }

    [Fact]
    public void UnknownFiles_AreIgnoredWithAWarning()
    {
        using var dir = new TempDir();
        using (EmbeddedLog log = EmbeddedLog.Open(Options(dir.Path)))
        {
            log.EnsureTopic("t", new TopicConfig(1));
            AppendBatch(log.GetPartition("t", 0), Records(0, 3, 1));
        }

        File.WriteAllText(Path.Combine(dir.Path, "notes.txt"), "hello");
        Directory.CreateDirectory(Path.Combine(dir.Path, "stray-dir"));
        File.WriteAllText(Path.Combine(dir.Path, "t-0", "README"), "x");
        var logger = new ListLogger();
        using (EmbeddedLog log = EmbeddedLog.Open(Options(dir.Path, logger: logger)))
        {
            Assert.Equal(3, ReadAll(log.GetPartition("t", 0)).Count);
        }

        Assert.Contains(logger.Messages, m => m.StartsWith("Warning", StringComparison.Ordinal) && m.Contains("notes.txt"));
        Assert.Contains(logger.Messages, m => m.StartsWith("Warning", StringComparison.Ordinal) && m.Contains("stray-dir"));
        Assert.Contains(logger.Messages, m => m.StartsWith("Warning", StringComparison.Ordinal) && m.Contains("README"));
        Assert.True(File.Exists(Path.Combine(dir.Path, "notes.txt")));
    }
}
