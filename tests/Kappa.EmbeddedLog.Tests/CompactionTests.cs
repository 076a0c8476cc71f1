using Kappa.Log;
using static Kappa.Log.Tests.LogTestSupport;

namespace Kappa.Log.Tests;

public class CompactionTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Compaction_MatchesInMemoryModel(int seed)
    {
        var random = new Random(seed);
        using var dir = new TempDir();
        var time = new ManualTime();
        EmbeddedLogOptions options = Options(dir.Path, time);
        options.DeleteRetention = TimeSpan.FromHours(1);
        var model = new List<TestRecord>();
        int keyCount = random.Next(3, 40);
        using (EmbeddedLog log = EmbeddedLog.Open(options))
        {
            log.EnsureTopic("c", new TopicConfig(1, Compacted: true));
            PartitionLog p = log.GetPartition("c", 0);
            int batches = random.Next(20, 60);
            for (int b = 0; b < batches; b++)
            {
                var records = new List<(byte[]? Key, byte[]? Value, long Timestamp)>();
                int n = random.Next(1, 12);
                for (int i = 0; i < n; i++)
                {
                    byte[] key = Bytes($"key-{random.Next(keyCount)}");
                    byte[]? value = random.Next(10) == 0 ? null : Bytes($"v{b}.{i}.{random.Next()}");
                    records.Add((key, value, time.NowMs));
                }

                long baseOffset = AppendBatch(p, records);
                for (int i = 0; i < records.Count; i++)
                {
                    model.Add(new TestRecord(baseOffset + i, records[i].Timestamp, records[i].Key, records[i].Value, new byte[] { 0 }));
                }

                time.NowMs += random.Next(0, 10 * 60_000);
                if (random.Next(5) == 0)
                {
                    p.Roll();
                }
            }

            p.Roll();
            AppendBatch(p, new List<(byte[]?, byte[]?, long)> { (Bytes("key-0"), Bytes("active"), time.NowMs) });
            model.Add(new TestRecord(p.LogEndOffset - 1, time.NowMs, Bytes("key-0"), Bytes("active"), new byte[] { 0 }));
            time.NowMs += 30 * 60_000;

            long activeBase = p.Segments[^1].BaseOffset;
            long horizon = time.NowMs - (long)options.DeleteRetention.TotalMilliseconds;
            var latest = new Dictionary<string, long>();
            foreach (TestRecord r in model)
            {
                latest[Convert.ToHexString(r.Key!)] = r.Offset;
            }

            List<TestRecord> expected = model.Where(r =>
                r.Offset >= activeBase
                || (latest[Convert.ToHexString(r.Key!)] == r.Offset && (r.Value is not null || r.Timestamp >= horizon))).ToList();

            long removed = p.Compact();
            Assert.Equal(model.Count - expected.Count, removed);
            AssertSame(expected, ReadAll(p));
            Assert.Equal(0, p.Compact());
            AssertSame(expected, ReadAll(p));
            Assert.Equal(model[^1].Offset + 1, p.LogEndOffset);
            for (int i = 0; i < 5; i++)
            {
                long from = random.Next((int)p.LogEndOffset);
                AssertSame(expected.Where(r => r.Offset >= from).ToList(), ReadAll(p, from));
            }

            // All tombstones are old enough after another day; superseded records were already gone.
            time.NowMs += 25 * 3600_000L;
            p.Compact();
            horizon = time.NowMs - (long)options.DeleteRetention.TotalMilliseconds;
            expected = expected.Where(r => r.Offset >= activeBase || r.Value is not null || r.Timestamp >= horizon).ToList();
            AssertSame(expected, ReadAll(p));
        }

        using (EmbeddedLog reopened = EmbeddedLog.Open(Options(dir.Path, time)))
        {
            PartitionLog p = reopened.GetPartition("c", 0);
            Assert.Equal(model[^1].Offset + 1, p.LogEndOffset);
            Assert.Equal(ReadAll(p).Count, ReadAll(p).Select(r => r.Offset).Distinct().Count());
        }
    }

    [Fact]
    public void CompactedTopic_RejectsRecordsWithoutKeys_FromProducers()
    {
        using var dir = new TempDir();
        using var transport = new EmbeddedLogTransport(Options(dir.Path));
        transport.EnsureTopics(new[] { new Kappa.Transport.TopicSpec("c", 1, Compacted: true) });
        using Kappa.Transport.IKappaProducer producer = transport.CreateProducer(new Kappa.Transport.ProducerSettings());
        var e = Assert.Throws<Kappa.Transport.KappaTransportException>(() => producer.Produce(new Kappa.Transport.OutgoingRecord("c", default, Bytes("v")) { KeyIsNull = true }));
        Assert.Contains("compacted topic 'c'", e.Message);
    }

    private static void AssertSame(List<TestRecord> expected, List<TestRecord> actual)
    {
        Assert.Equal(expected.Select(r => r.Offset), actual.Select(r => r.Offset));
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Key, actual[i].Key);
            Assert.Equal(expected[i].Value, actual[i].Value);
            Assert.Equal(expected[i].Timestamp, actual[i].Timestamp);
        }
    }
}
