using Kappa.Log;
using Kappa.Log.Format;
using Kappa.Transport;
using static Kappa.Log.Tests.LogTestSupport;

namespace Kappa.Log.Tests;

/// <summary>
/// The embedded log consumer's read-ahead (EmbeddedLogOptions.ReadAhead): a consumer reading ahead on its worker
/// thread delivers exactly what a consumer reading directly delivers (records, null keys and values, headers, offsets,
/// positions past transaction markers, read_committed filtering, errors), including while the log grows.
/// </summary>
public class ReadAheadTests
{
    private const string Topic = "ra";
    private const int Partitions = 3;
    private static readonly byte[] NoHeaders = [0];
    private static readonly byte[] OneHeader = [2, 2, (byte)'h', 4, (byte)'v', (byte)'1'];

    public static IEnumerable<object[]> Cases() =>
        from seed in Enumerable.Range(1, 6)
        from readCommitted in new[] { true, false }
        select new object[] { seed, readCommitted };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Read_ahead_delivers_what_a_direct_read_delivers_while_the_log_grows(int seed, bool readCommitted)
    {
        using var dir = new TempDir();
        List<string> direct = Transcript(Path.Combine(dir.Path, "direct"), seed, readCommitted, readAhead: false);
        List<string> ahead = Transcript(Path.Combine(dir.Path, "ahead"), seed, readCommitted, readAhead: true);

        Assert.True(direct.Count > 50, $"the scenario should deliver records (got {direct.Count} lines)");
        int firstDifference = Enumerable.Range(0, Math.Min(direct.Count, ahead.Count)).FirstOrDefault(i => direct[i] != ahead[i], -1);
        Assert.True(
            firstDifference < 0 && direct.Count == ahead.Count,
            firstDifference < 0
                ? $"direct delivered {direct.Count} lines, read-ahead {ahead.Count}"
                : $"line {firstDifference}: direct '{direct[firstDifference]}', read-ahead '{ahead[firstDifference]}'");
    }

    [Fact]
    public void A_zero_timeout_consume_delivers_every_record_already_in_the_log()
    {
        using var one = new OnePartition();
        PartitionLog p = one.Log;
        using IKappaConsumer consumer = one.Transport.CreateConsumer(new ConsumerSettings { GroupId = "zero" });
        consumer.Assign([new TopicPartitionOffset(Topic, 0, 0)]);
        long expected = 0;
        for (int round = 0; round < 200; round++)
        {
            // Right after an append, before the worker could have read it: a zero timeout must still see it.
            AppendBatch(p, Enumerable.Range(0, 1 + (round % 5)).Select(i => ((byte[]?)Bytes($"k{round}"), (byte[]?)Bytes($"v{round}.{i}"), 1_000L)).ToList());
            long appended = p.LogEndOffset;
            while (consumer.TryConsume(TimeSpan.Zero, out ConsumedRecord record))
            {
                Assert.Equal(expected, record.Offset);
                expected++;
            }

            Assert.Equal(appended, expected);
            Assert.Equal(appended, consumer.Position(new TopicPartition(Topic, 0)));
        }
    }

    [Fact]
    public void A_batch_corrupted_after_open_is_reported_after_the_records_before_it()
    {
        using var one = new OnePartition();
        PartitionLog p = one.Log;
        var ends = new List<long>();
        for (int b = 0; b < 6; b++)
        {
            AppendBatch(p, Enumerable.Range(0, 4).Select(i => ((byte[]?)Bytes($"k{b}"), (byte[]?)Bytes($"value {b}.{i}"), 1_000L)).ToList());
            ends.Add(new FileInfo(Directory.GetFiles(p.Directory, "*.log").Single()).Length);
        }

        // Flip a byte inside the fifth batch's records (covered by its CRC).
        string segment = Directory.GetFiles(p.Directory, "*.log").Single();
        using (var f = new FileStream(segment, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite))
        {
            f.Position = ends[3] + RecordBatch.HeaderSize + 3;
            int b = f.ReadByte();
            f.Position--;
            f.WriteByte((byte)(b ^ 0x5A));
        }

        using IKappaConsumer consumer = one.Transport.CreateConsumer(new ConsumerSettings { GroupId = "corrupt" });
        consumer.Assign([new TopicPartitionOffset(Topic, 0, 0)]);
        var offsets = new List<long>();
        LogCorruptException error = Assert.Throws<LogCorruptException>(() =>
        {
            while (consumer.TryConsume(TimeSpan.FromSeconds(5), out ConsumedRecord record))
            {
                offsets.Add(record.Offset);
            }
        });

        Assert.Equal(Enumerable.Range(0, 16).Select(i => (long)i), offsets);
        Assert.Contains("Corrupt batch", error.Message);
        Assert.Equal(16, consumer.Position(new TopicPartition(Topic, 0)));

        // It stays reported: the consumer does not skip the bad batch.
        Assert.Throws<LogCorruptException>(() => consumer.TryConsume(TimeSpan.Zero, out _));
    }

    [Fact]
    public void Closing_a_consumer_in_the_middle_of_a_long_read_stops_its_worker()
    {
        using var one = new OnePartition();
        PartitionLog p = one.Log;
        byte[] value = new byte[200];
        for (int b = 0; b < 100; b++)
        {
            AppendBatch(p, Enumerable.Range(0, 500).Select(i => ((byte[]?)Bytes("k"), (byte[]?)value, 1_000L)).ToList());
        }

        for (int round = 0; round < 20; round++)
        {
            IKappaConsumer consumer = one.Transport.CreateConsumer(new ConsumerSettings { GroupId = "close" });
            consumer.Assign([new TopicPartitionOffset(Topic, 0, 0)]);
            for (int i = 0; i < round * 997; i++)
            {
                Assert.True(consumer.TryConsume(TimeSpan.FromSeconds(5), out _));
            }

            Kappa.Log.Transport.ReadAheadWorker worker = ((Kappa.Log.Transport.EmbeddedLogConsumer)consumer).ReadAheadWorker!;
            Assert.True(worker.IsRunning);
            consumer.Dispose();
            Assert.False(worker.IsRunning);
        }
    }

    [Fact]
    public void A_chunk_grown_for_one_large_record_shrinks_back_when_it_is_reused()
    {
        var chunk = new Kappa.Log.Transport.RecordChunk();
        byte[] large = new byte[3 * Kappa.Log.Transport.RecordChunk.MaxBytes];
        Random.Shared.NextBytes(large);
        chunk.Add(new BatchRecord(7, 1_000, Bytes("k"), false, large, false, NoHeaders));
        Assert.True(chunk.Capacity >= large.Length);
        BatchRecord read = chunk.Record(0);
        Assert.True(read.Value.SequenceEqual(large));
        Assert.Equal(7, read.Offset);

        chunk.Clear();
        Assert.Equal(0, chunk.Count);
        Assert.True(chunk.Capacity <= Kappa.Log.Transport.RecordChunk.MaxBytes, $"capacity {chunk.Capacity}");
    }

    /// <summary>Writes a random log in phases and consumes it between them; one line per record and per position seen.</summary>
    private static List<string> Transcript(string directory, int seed, bool readCommitted, bool readAhead)
    {
        var random = new Random(seed);
        var lines = new List<string>();
        EmbeddedLogOptions options = Options(directory);
        options.ReadAhead = readAhead;
        options.SegmentBytes = 64 * 1024;
        using var transport = new EmbeddedLogTransport(options);
        transport.EnsureTopics([new TopicSpec(Topic, Partitions)]);
        PartitionLog[] logs = Enumerable.Range(0, Partitions).Select(i => transport.Log.GetPartition(Topic, i)).ToArray();
        using IKappaConsumer consumer = transport.CreateConsumer(new ConsumerSettings { GroupId = "g", ReadCommitted = readCommitted });
        consumer.Assign(Enumerable.Range(0, Partitions).Select(i => new TopicPartitionOffset(Topic, i, 0)).ToArray());
        var open = new Dictionary<(int Partition, long ProducerId), bool>();
        long nextProducer = 100;
        for (int phase = 0; phase < 8; phase++)
        {
            int batches = random.Next(1, 25);
            for (int b = 0; b < batches; b++)
            {
                int partition = random.Next(Partitions);
                PartitionLog log = logs[partition];
                int kind = random.Next(10);
                (int P, long Pid) openHere = open.Keys.FirstOrDefault(k => k.Partition == partition, (-1, -1));
                if (kind < 2 && openHere.P >= 0)
                {
                    AppendMarker(log, openHere.Pid, commit: random.Next(2) == 0);
                    open.Remove(openHere);
                    continue;
                }

                using var builder = new RecordBatchBuilder();
                if (kind < 4 && openHere.P < 0)
                {
                    long pid = nextProducer++;
                    builder.Attributes = RecordBatch.TransactionalMask;
                    builder.ProducerId = pid;
                    builder.ProducerEpoch = 0;
                    builder.BaseSequence = 0;
                    open[(partition, pid)] = true;
                }

                int count = random.Next(1, 40);
                for (int i = 0; i < count; i++)
                {
                    bool nullKey = random.Next(8) == 0;
                    bool nullValue = random.Next(8) == 0;
                    int size = random.Next(20) == 0 ? random.Next(20_000, 700_000) : random.Next(0, 300);
                    byte[] value = new byte[size];
                    random.NextBytes(value);
                    builder.Append(1_000 + b, nullKey ? default : Bytes($"key-{random.Next(50)}"), nullKey, nullValue ? default : value, nullValue, random.Next(3) == 0 ? OneHeader : NoHeaders);
                }

                log.Append(builder.Finish());
            }

            // Drain what is readable now (a zero timeout: only what the log holds), then note the positions.
            while (consumer.TryConsume(TimeSpan.Zero, out ConsumedRecord r))
            {
                string key = r.KeyIsNull ? "null" : Convert.ToHexString(r.Key);
                string value = r.ValueIsNull ? "null" : $"{r.Value.Length}:{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(r.Value))[..16]}";
                string headers = "-";
                foreach (RecordHeader h in r.Headers)
                {
                    headers += $"{Convert.ToHexString(h.Key)}={Convert.ToHexString(h.Value)};";
                }

                lines.Add($"{r.Topic}/{r.Partition}@{r.Offset} ts={r.TimestampMs} key={key} value={value} headers={headers}");
            }

            for (int i = 0; i < Partitions; i++)
            {
                lines.Add($"phase {phase} partition {i} position {consumer.Position(new TopicPartition(Topic, i))} end {logs[i].LogEndOffset}");
            }
        }

        // Kafka orders records within a partition, not across them: compare each partition's sequence.
        return lines.OrderBy(l => l.StartsWith("phase", StringComparison.Ordinal) ? l : l[..l.IndexOf('@')], StringComparer.Ordinal).ToList();
    }

    /// <summary>A transport over a temporary directory with one single-partition topic.</summary>
    private sealed class OnePartition : IDisposable
    {
        private readonly TempDir _dir = new();

        public OnePartition()
        {
            Transport = new EmbeddedLogTransport(Options(_dir.Path));
            Transport.EnsureTopics([new TopicSpec(Topic, 1)]);
            Log = Transport.Log.GetPartition(Topic, 0);
        }

        public EmbeddedLogTransport Transport { get; }

        public PartitionLog Log { get; }

        public void Dispose()
        {
            Transport.Dispose();
            _dir.Dispose();
        }
    }
}
