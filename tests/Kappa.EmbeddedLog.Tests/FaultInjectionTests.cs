using System.Buffers.Binary;
using System.Globalization;
using Kappa.Log;
using Kappa.Transport;
using static Kappa.Log.Tests.LogTestSupport;

namespace Kappa.Log.Tests;

/// <summary>
/// Defects found by fault injection from outside (bit flips after kill -9 with FsyncPolicy.Never, invalid per-topic
/// retention, a close that fails half-way, a damaged index used by a time lookup). Each test failed before its fix.
/// </summary>
public class FaultInjectionTests
{
    private const int Segments = 12;

    /// <summary>Writes one partition of many small segments, record timestamps rising with offsets; returns the partition directory.</summary>
    private static (string PartitionDir, long Records) WriteSegments(string dir, FsyncPolicy policy, bool crash, int indexIntervalBytes = 4096)
    {
        EmbeddedLogOptions options = Options(dir);
        options.FsyncPolicy = policy;
        options.SegmentBytes = 2048;
        options.IndexIntervalBytes = indexIntervalBytes;
        EmbeddedLog log = EmbeddedLog.Open(options);
        log.EnsureTopic("f", new TopicConfig(1));
        PartitionLog p = log.GetPartition("f", 0);
        long written = 0;
        while (p.SegmentCount < Segments)
        {
            var records = Enumerable.Range(0, 4).Select(i => ((byte[]?)Bytes($"k{written + i}"), (byte[]?)Bytes($"value {written + i} {new string('v', 40)}"), 10_000 + ((written + i) * 10))).ToList();
            AppendBatch(p, records);
            written += records.Count;
        }

        string partitionDir = p.Directory;
        if (crash)
        {
            log.Abandon();
        }
        else
        {
            log.Dispose();
        }

        return (partitionDir, written);
    }

    private static string[] SegmentFiles(string partitionDir) => Directory.GetFiles(partitionDir, "*.log").Order(StringComparer.Ordinal).ToArray();

    private static long BaseOf(string segmentFile) => long.Parse(Path.GetFileNameWithoutExtension(segmentFile), CultureInfo.InvariantCulture);

    /// <summary>Flips one bit in the value of the first record of the first batch of <paramref name="segmentFile"/>.</summary>
    private static void FlipBitInFirstBatch(string segmentFile)
    {
        byte[] bytes = File.ReadAllBytes(segmentFile);
        int batchLength = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(8)) + 12;
        bytes[batchLength - 10] ^= 0x04;
        File.WriteAllBytes(segmentFile, bytes);
    }

    [Fact]
    public void FsyncNever_after_a_kill_the_recovery_point_has_moved_and_a_flipped_bit_in_an_old_segment_costs_nothing_else()
    {
        using var dir = new TempDir();
        (string partitionDir, long written) = WriteSegments(dir.Path, FsyncPolicy.Never, crash: true);
        string[] files = SegmentFiles(partitionDir);
        Assert.Equal(Segments, files.Length);

        // Every roll flushed the sealed segment and moved the recovery point, with no fsync policy and no clean close.
        long recoveryPoint = long.Parse(File.ReadAllText(Path.Combine(partitionDir, PartitionLog.RecoveryPointFile)).Trim(), CultureInfo.InvariantCulture);
        Assert.Equal(BaseOf(files[^1]), recoveryPoint);

        string victim = files[3];
        long corruptFrom = BaseOf(victim);
        long nextBase = BaseOf(files[4]);
        FlipBitInFirstBatch(victim);
        Dictionary<string, long> lengths = files.ToDictionary(f => f, f => new FileInfo(f).Length);

        var logger = new ListLogger();
        using EmbeddedLog log = EmbeddedLog.Open(Options(dir.Path, logger: logger));
        PartitionLog p = log.GetPartition("f", 0);

        // Nothing was deleted or cut.
        Assert.Equal(files, SegmentFiles(partitionDir));
        Assert.All(files, f => Assert.Equal(lengths[f], new FileInfo(f).Length));
        Assert.Equal(written, p.LogEndOffset);

        // Readers stop at the bad batch, saying where; everything after the damaged segment is served.
        var served = new List<TestRecord>();
        using (PartitionReader reader = p.OpenReader(0))
        {
            LogCorruptException error = Assert.Throws<LogCorruptException>(() =>
            {
                while (reader.TryRead(out Kappa.Log.Format.BatchRecord r))
                {
                    served.Add(new TestRecord(r.Offset, r.TimestampMs, null, null, []));
                }
            });
            Assert.Equal("f", error.Topic);
            Assert.Equal(0, error.Partition);
            Assert.Equal(corruptFrom, error.Offset);
        }

        Assert.Equal(corruptFrom, served.Count);
        List<TestRecord> after = ReadAll(p, nextBase);
        Assert.Equal(written - nextBase, after.Count);
        Assert.Equal(written - 1, after[^1].Offset);
    }

    [Fact]
    public void A_corrupt_sealed_segment_found_at_recovery_is_reported_and_kept_and_the_segments_after_it_stay()
    {
        using var dir = new TempDir();
        (string partitionDir, long written) = WriteSegments(dir.Path, FsyncPolicy.Never, crash: true);

        // No recovery point: every segment is re-checked at open.
        File.Delete(Path.Combine(partitionDir, PartitionLog.RecoveryPointFile));
        string[] files = SegmentFiles(partitionDir);
        string victim = files[5];
        FlipBitInFirstBatch(victim);
        long victimLength = new FileInfo(victim).Length;

        var logger = new ListLogger();
        using EmbeddedLog log = EmbeddedLog.Open(Options(dir.Path, logger: logger));
        PartitionLog p = log.GetPartition("f", 0);

        Assert.Equal(files, SegmentFiles(partitionDir));
        Assert.Equal(victimLength, new FileInfo(victim).Length);
        Assert.Contains(logger.Messages, m => m.StartsWith("Error:", StringComparison.Ordinal) && m.Contains(Path.GetFileName(victim), StringComparison.Ordinal) && m.Contains("corrupt", StringComparison.Ordinal));
        Assert.DoesNotContain(logger.Messages, m => m.Contains("deleting segment", StringComparison.Ordinal));

        LogCorruptException error = Assert.Throws<LogCorruptException>(() => ReadAll(p, 0));
        Assert.Equal(BaseOf(victim), error.Offset);
        Assert.Contains(Path.GetFileName(victim), error.Message, StringComparison.Ordinal);
        Assert.Equal(written - BaseOf(files[6]), ReadAll(p, BaseOf(files[6])).Count);

        // Appends go on at the end.
        Assert.Equal(written, AppendBatch(p, [(Bytes("new"), Bytes("after"), 99_999)]));
    }

    [Theory]
    [InlineData(-3000L, null)]
    [InlineData(0L, null)]
    [InlineData(null, -3L)]
    [InlineData(null, 0L)]
    public void Invalid_per_topic_retention_is_refused_before_anything_is_written(long? retentionMs, long? retentionBytes)
    {
        using var dir = new TempDir();
        Assert.Throws<ArgumentOutOfRangeException>(() => new TopicSpec("t", 2)
        {
            Retention = retentionMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
            RetentionBytes = retentionBytes,
        });
        Assert.Throws<ArgumentOutOfRangeException>(() => new TopicConfig(2)
        {
            Retention = retentionMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
            RetentionBytes = retentionBytes,
        });

        // The directory stays usable, and valid settings round-trip through the .topic file.
        using (EmbeddedLog log = EmbeddedLog.Open(Options(dir.Path)))
        {
            log.EnsureTopic("t", new TopicConfig(2) { Retention = TimeSpan.FromMilliseconds(3000), RetentionBytes = 3 });
        }

        using EmbeddedLog reopened = EmbeddedLog.Open(Options(dir.Path));
        TopicConfig config = reopened.GetTopicConfig("t")!;
        Assert.Equal(TimeSpan.FromMilliseconds(3000), config.Retention);
        Assert.Equal(3, config.RetentionBytes);
    }

    [Fact]
    public void Dispose_closes_every_partition_and_releases_the_lock_when_some_fail_then_reports_every_failure()
    {
        using var dir = new TempDir();
        var log = EmbeddedLog.Open(Options(dir.Path));
        log.EnsureTopic("d", new TopicConfig(3));
        for (int partition = 0; partition < 3; partition++)
        {
            AppendBatch(log.GetPartition("d", partition), [(Bytes("k"), Bytes("v" + partition), 1)]);
        }

        // Partitions 0 and 2 cannot write their recovery point at close (its temporary file's name is taken by a directory).
        string Blocker(int partition) => Path.Combine(log.GetPartition("d", partition).Directory, PartitionLog.RecoveryPointFile + ".tmp");
        Directory.CreateDirectory(Blocker(0));
        Directory.CreateDirectory(Blocker(2));

        IOException error = Assert.Throws<IOException>(log.Dispose);
        Assert.Contains("d-0", error.Message, StringComparison.Ordinal);
        Assert.Contains("d-2", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("d-1", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, Assert.IsType<AggregateException>(error.InnerException).InnerExceptions.Count);

        // Partition 1 was closed cleanly; no file of the log is still open in this process; the lock is free.
        Assert.Equal("1", File.ReadAllText(Path.Combine(dir.Path, "d-1", PartitionLog.RecoveryPointFile)).Trim());
        Assert.Empty(OpenFilesUnder(dir.Path));
        Directory.Delete(Blocker(0));
        Directory.Delete(Blocker(2));
        using EmbeddedLog reopened = EmbeddedLog.Open(Options(dir.Path));
        Assert.Equal(1, reopened.GetPartition("d", 0).LogEndOffset);
        Assert.Equal(1, reopened.GetPartition("d", 2).LogEndOffset);
    }

    private static List<string> OpenFilesUnder(string directory)
    {
        string root = Path.GetFullPath(directory);
        var open = new List<string>();
        foreach (string fd in Directory.GetFiles("/proc/self/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith(root, StringComparison.Ordinal))
                {
                    open.Add(target);
                }
            }
            catch (IOException)
            {
                // The descriptor closed while we looked.
            }
        }

        return open;
    }

    [Fact]
    public void Time_lookups_are_right_after_an_index_entry_is_damaged_and_stays_in_order()
    {
        using var dir = new TempDir();
        (string partitionDir, long written) = WriteSegments(dir.Path, FsyncPolicy.EveryBatch, crash: false, indexIntervalBytes: 1);
        string sealedSegment = SegmentFiles(partitionDir)[2];
        string index = Path.ChangeExtension(sealedSegment, ".index");
        string timeIndex = Path.ChangeExtension(sealedSegment, ".timeindex");

        // Offset index entry 2: its file position moves one byte into its batch (still between its neighbours).
        byte[] idx = File.ReadAllBytes(index);
        Assert.True(idx.Length >= 4 * 8, "the segment should have several index entries");
        BinaryPrimitives.WriteInt32BigEndian(idx.AsSpan((2 * 8) + 4), BinaryPrimitives.ReadInt32BigEndian(idx.AsSpan((2 * 8) + 4)) + 1);
        File.WriteAllBytes(index, idx);

        // Time index entry 1: its timestamp drops by one (still above entry 0's).
        byte[] tix = File.ReadAllBytes(timeIndex);
        BinaryPrimitives.WriteInt64BigEndian(tix.AsSpan(12), BinaryPrimitives.ReadInt64BigEndian(tix.AsSpan(12)) - 1);
        File.WriteAllBytes(timeIndex, tix);

        using EmbeddedLog log = EmbeddedLog.Open(Options(dir.Path));
        PartitionLog p = log.GetPartition("f", 0);
        for (long offset = 0; offset < written; offset++)
        {
            long timestamp = 10_000 + (offset * 10);
            Assert.Equal(offset, p.OffsetForTimestamp(timestamp));
            Assert.Equal(offset, p.OffsetForTimestamp(timestamp - 9));
        }

        Assert.Null(p.OffsetForTimestamp(10_000 + (written * 10)));
    }
}
