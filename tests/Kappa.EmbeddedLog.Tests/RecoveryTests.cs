using Kappa.Log;
using static Kappa.Log.Tests.LogTestSupport;

namespace Kappa.Log.Tests;

/// <summary>Torn tails, corrupt bytes and broken indexes at random points (fixed seeds).</summary>
public class RecoveryTests
{
    public static IEnumerable<object[]> Seeds() => Enumerable.Range(1, 12).Select(s => new object[] { s });

    private static (List<TestRecord> Model, string PartitionDir) WriteLog(string dir, Random random)
    {
        EmbeddedLogOptions options = Options(dir);
        options.FsyncPolicy = FsyncPolicy.EveryBatch;
        options.SegmentBytes = 3000;
        options.IndexIntervalBytes = 300;
        var model = new List<TestRecord>();
        EmbeddedLog log = EmbeddedLog.Open(options);
        log.EnsureTopic("r", new TopicConfig(1));
        PartitionLog p = log.GetPartition("r", 0);
        int batches = random.Next(10, 40);
        for (int b = 0; b < batches; b++)
        {
            var records = Enumerable.Range(0, random.Next(1, 8))
                .Select(i => ((byte[]?)Bytes($"k{b}.{i}"), (byte[]?)Bytes($"value {b}.{i} {new string('z', random.Next(60))}"), 1_000L + b))
                .ToList();
            long baseOffset = AppendBatch(p, records);
            model.AddRange(records.Select((r, i) => new TestRecord(baseOffset + i, r.Item3, r.Item1, r.Item2, new byte[] { 0 })));
        }

        // Half the seeds stop like a crashed process (no clean shutdown, no recovery point update), half close cleanly.
        if (random.Next(2) == 0)
        {
            log.Abandon();
        }
        else
        {
            log.Dispose();
        }

        return (model, p.Directory);
    }

    private static List<TestRecord> ReadServed(PartitionLog p, out bool sawCorruption)
    {
        var served = new List<TestRecord>();
        sawCorruption = false;
        long from = 0;
        while (true)
        {
            try
            {
                served.AddRange(ReadAll(p, from));
                return served;
            }
            catch (LogCorruptException)
            {
                sawCorruption = true;
                return served;
            }
        }
    }

    private static void AssertServedMatchModel(List<TestRecord> model, List<TestRecord> served)
    {
        var byOffset = model.ToDictionary(r => r.Offset);
        long last = -1;
        foreach (TestRecord r in served)
        {
            Assert.True(r.Offset > last, "offsets must increase");
            last = r.Offset;
            Assert.True(byOffset.TryGetValue(r.Offset, out TestRecord? m), $"served offset {r.Offset} was never written");
            Assert.Equal(m!.Key, r.Key);
            Assert.Equal(m.Value, r.Value);
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void TornTail_IsTruncated_AndEveryAcknowledgedBatchSurvives(int seed)
    {
        var random = new Random(seed);
        using var dir = new TempDir();
        (List<TestRecord> model, string partitionDir) = WriteLog(dir.Path, random);
        string active = Directory.GetFiles(partitionDir, "*.log").Order().Last();
        long ackedLength = new FileInfo(active).Length;

        // A torn write: part of a batch that was never acknowledged.
        byte[] partial = new byte[random.Next(1, 200)];
        random.NextBytes(partial);
        if (partial.Length >= 12)
        {
            partial[8] = 0;
            partial[9] = 0;
            partial[10] = 1;
            partial[11] = 0; // a plausible length (256) longer than what was written
        }

        using (var f = new FileStream(active, FileMode.Append))
        {
            f.Write(partial);
        }

        var logger = new ListLogger();
        using EmbeddedLog log = EmbeddedLog.Open(Options(dir.Path, logger: logger));
        PartitionLog p = log.GetPartition("r", 0);
        Assert.Equal(ackedLength, new FileInfo(active).Length);
        List<TestRecord> served = ReadServed(p, out bool corrupt);
        Assert.False(corrupt);
        Assert.Equal(model.Count, served.Count);
        AssertServedMatchModel(model, served);
        Assert.Contains(logger.Messages, m => m.Contains("truncating", StringComparison.Ordinal));
        Assert.Equal(model[^1].Offset + 1, AppendBatch(p, new List<(byte[]?, byte[]?, long)> { (Bytes("after"), Bytes("crash"), 5) }));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void TruncationAtARandomPoint_KeepsTheWholeBatchPrefix(int seed)
    {
        var random = new Random(seed * 31);
        using var dir = new TempDir();
        (List<TestRecord> model, string partitionDir) = WriteLog(dir.Path, random);
        string active = Directory.GetFiles(partitionDir, "*.log").Order().Last();
        long length = new FileInfo(active).Length;
        long cut = random.NextInt64(0, length);
        using (var f = new FileStream(active, FileMode.Open))
        {
            f.SetLength(cut);
        }

        using EmbeddedLog log = EmbeddedLog.Open(Options(dir.Path));
        PartitionLog p = log.GetPartition("r", 0);
        List<TestRecord> served = ReadServed(p, out bool corrupt);
        Assert.False(corrupt);
        AssertServedMatchModel(model, served);
        long activeBase = long.Parse(Path.GetFileNameWithoutExtension(active), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(model.Count(r => r.Offset < activeBase), served.Count(r => r.Offset < activeBase));
        Assert.Equal(served.Count == 0 ? 0 : served[^1].Offset + 1, p.LogEndOffset);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void CorruptByte_IsNeverServed(int seed)
    {
        var random = new Random(seed * 17);
        using var dir = new TempDir();
        (List<TestRecord> model, string partitionDir) = WriteLog(dir.Path, random);
        string[] logs = Directory.GetFiles(partitionDir, "*.log").Order().ToArray();
        string victim = logs[random.Next(logs.Length)];
        byte[] bytes = File.ReadAllBytes(victim);
        int at = random.Next(bytes.Length);
        bool inLeaderEpoch = false;
        for (int pos = 0; pos + 12 <= bytes.Length; pos += System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(pos + 8)) + 12)
        {
            inLeaderEpoch |= at >= pos + 12 && at < pos + 16;
        }

        bytes[at] ^= (byte)(1 << random.Next(8));
        File.WriteAllBytes(victim, bytes);

        using EmbeddedLog log = EmbeddedLog.Open(Options(dir.Path));
        PartitionLog p = log.GetPartition("r", 0);
        List<TestRecord> served = ReadServed(p, out _);
        AssertServedMatchModel(model, served);
        if (!inLeaderEpoch)
        {
            // Kafka's partitionLeaderEpoch is outside the CRC (brokers rewrite it); every other byte is checked.
            Assert.True(served.Count < model.Count, "a flipped bit must cost at least the batch it hit");
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void CorruptOrMissingIndex_IsRebuiltFromTheLog(int seed)
    {
        var random = new Random(seed * 7);
        using var dir = new TempDir();
        (List<TestRecord> model, string partitionDir) = WriteLog(dir.Path, random);
        string[] indexes = Directory.GetFiles(partitionDir, "*.index").Concat(Directory.GetFiles(partitionDir, "*.timeindex")).Order().ToArray();
        foreach (string index in indexes.Where(_ => random.Next(2) == 0))
        {
            switch (random.Next(3))
            {
                case 0:
                    File.Delete(index);
                    break;
                case 1:
                    byte[] garbage = new byte[random.Next(1, 64)];
                    random.NextBytes(garbage);
                    File.WriteAllBytes(index, garbage);
                    break;
                default:
                    byte[] bytes = File.ReadAllBytes(index);
                    if (bytes.Length > 0)
                    {
                        bytes[random.Next(bytes.Length)] ^= 0x5A;
                        File.WriteAllBytes(index, bytes);
                    }

                    break;
            }
        }

        using EmbeddedLog log = EmbeddedLog.Open(Options(dir.Path));
        PartitionLog p = log.GetPartition("r", 0);
        for (int i = 0; i < 10; i++)
        {
            long from = random.Next(model.Count);
            List<TestRecord> served = ReadServed(p, out bool corrupt);
            Assert.False(corrupt);
            Assert.Equal(model.Count, served.Count);
            AssertServedMatchModel(model, served);
            List<TestRecord> tail = ReadAll(p, from);
            Assert.Equal(model.Where(r => r.Offset >= from).Select(r => r.Offset), tail.Select(r => r.Offset));
        }

        foreach (string index in indexes)
        {
            Assert.True(File.Exists(index), $"{index} should have been rebuilt");
        }
    }
}
