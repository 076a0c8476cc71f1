using System.Buffers.Binary;
using Kappa.Log;
using Kappa.Log.Format;
using static Kappa.Log.Tests.LogTestSupport;

namespace Kappa.Log.Tests;

/// <summary>The .index and .timeindex files hold what docs/embedded-log.md says, in Kafka's entry layouts.</summary>
public class IndexLayoutTests
{
    [Fact]
    public void IndexEntries_PointAtBatchesByLastOffset_AndTimeIndexTracksMaxTimestamps()
    {
        using var dir = new TempDir();
        EmbeddedLogOptions options = Options(dir.Path);
        options.IndexIntervalBytes = 200;
        options.SegmentBytes = 8192;
        var random = new Random(11);
        using (EmbeddedLog log = EmbeddedLog.Open(options))
        {
            log.EnsureTopic("ix", new TopicConfig(1));
            PartitionLog p = log.GetPartition("ix", 0);
            for (int b = 0; b < 80; b++)
            {
                AppendBatch(p, Enumerable.Range(0, random.Next(1, 6)).Select(i => ((byte[]?)Bytes($"k{i}"), (byte[]?)Bytes(new string('v', random.Next(80))), 10_000L + random.Next(5000))).ToList());
            }
        }

        string partitionDir = Path.Combine(dir.Path, "ix-0");
        string[] logs = Directory.GetFiles(partitionDir, "*.log").Order().ToArray();
        Assert.True(logs.Length > 1);
        foreach (string logPath in logs)
        {
            long baseOffset = long.Parse(Path.GetFileNameWithoutExtension(logPath), System.Globalization.CultureInfo.InvariantCulture);
            byte[] data = File.ReadAllBytes(logPath);
            var batchesByPosition = new Dictionary<int, RecordBatchHeader>();
            var maxTsUpTo = new SortedDictionary<long, long>();
            long runningMax = -1;
            for (int pos = 0; pos < data.Length;)
            {
                RecordBatchHeader h = RecordBatch.ReadHeader(data.AsSpan(pos));
                batchesByPosition[pos] = h;
                runningMax = Math.Max(runningMax, h.MaxTimestamp);
                maxTsUpTo[h.LastOffset] = runningMax;
                pos += h.TotalSize;
            }

            byte[] index = File.ReadAllBytes(Path.ChangeExtension(logPath, ".index"));
            Assert.Equal(0, index.Length % 8);
            Assert.True(index.Length >= 8);
            for (int i = 0; i < index.Length; i += 8)
            {
                int rel = BinaryPrimitives.ReadInt32BigEndian(index.AsSpan(i));
                int pos = BinaryPrimitives.ReadInt32BigEndian(index.AsSpan(i + 4));
                Assert.True(batchesByPosition.TryGetValue(pos, out RecordBatchHeader h), $"index entry at {pos} is not a batch start");
                Assert.Equal(h.LastOffset - baseOffset, rel);
            }

            byte[] timeIndex = File.ReadAllBytes(Path.ChangeExtension(logPath, ".timeindex"));
            Assert.Equal(0, timeIndex.Length % 12);
            long lastTs = -1;
            for (int i = 0; i < timeIndex.Length; i += 12)
            {
                long ts = BinaryPrimitives.ReadInt64BigEndian(timeIndex.AsSpan(i));
                int rel = BinaryPrimitives.ReadInt32BigEndian(timeIndex.AsSpan(i + 8));
                Assert.True(ts > lastTs);
                lastTs = ts;
                Assert.True(maxTsUpTo.ContainsKey(baseOffset + rel), "time index entries point at batch last offsets");
                Assert.Equal(maxTsUpTo[baseOffset + rel], ts);
            }

            Assert.Equal(runningMax, lastTs); // sealed and closed segments end with their max timestamp
        }
    }
}
