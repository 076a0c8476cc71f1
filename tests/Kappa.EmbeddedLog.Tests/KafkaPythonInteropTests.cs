using System.Text.Json;
using Kappa.Log;
using Kappa.Log.Format;
using Kappa.Naming;
using Kappa.Transport;
using static Kappa.Log.Tests.LogTestSupport;

namespace Kappa.Log.Tests;

/// <summary>kafka-python (Debian python3-kafka, an independent implementation) reads our segment files, and we read its batches.</summary>
public class KafkaPythonInteropTests
{
    private const string DumpScript = """
import sys, json
from kafka.record.memory_records import MemoryRecords
data = open(sys.argv[1], 'rb').read()
records = MemoryRecords(data)
out = []
while True:
    batch = records.next_batch()
    if batch is None:
        break
    if batch.magic != 2:
        raise SystemExit('magic %d' % batch.magic)
    if not batch.validate_crc():
        raise SystemExit('crc mismatch in batch at base offset %d' % batch.base_offset)
    recs = []
    for r in batch:
        recs.append({'offset': r.offset, 'ts': r.timestamp,
                     'key': None if r.key is None else bytes(r.key).hex(),
                     'value': None if r.value is None else bytes(r.value).hex(),
                     'headers': [[k, None if v is None else bytes(v).hex()] for (k, v) in r.headers]})
    out.append({'base': batch.base_offset, 'lastDelta': batch.last_offset_delta, 'maxTs': batch.max_timestamp, 'records': recs})
print(json.dumps(out))
""";

    [Fact]
    public void KafkaPython_ParsesOurSegments_WithOffsetsKeysValuesHeadersTimestampsAndCrc()
    {
        using var dir = new TempDir();
        var expected = new List<(long Offset, long Ts, byte[]? Key, byte[]? Value, List<(string, byte[]?)> Headers)>();
        var random = new Random(3);
        string segmentPath;
        using (EmbeddedLog log = EmbeddedLog.Open(Options(dir.Path)))
        {
            log.EnsureTopic("interop", new TopicConfig(1));
            PartitionLog p = log.GetPartition("interop", 0);
            var headers = new RecordHeadersWriter();
            long offset = 0;
            for (int b = 0; b < 5; b++)
            {
                using var builder = new RecordBatchBuilder();
                int n = random.Next(1, 30);
                for (int i = 0; i < n; i++)
                {
                    byte[]? key = i % 7 == 3 ? null : Bytes($"key-{b}-{i}");
                    byte[]? value = i % 11 == 5 ? null : Enumerable.Range(0, random.Next(0, 200)).Select(_ => (byte)random.Next(256)).ToArray();
                    long ts = 1_700_000_000_000 + (b * 1000) + random.Next(-50, 500);
                    headers.Reset();
                    var hs = new List<(string, byte[]?)>();
                    for (int h = 0; h < i % 3; h++)
                    {
                        byte[]? hv = h == 1 ? null : Bytes($"v{h}");
                        if (hv is null)
                        {
                            headers.Add($"h{h}", (string?)null);
                        }
                        else
                        {
                            headers.Add($"h{h}", hv);
                        }

                        hs.Add(($"h{h}", hv));
                    }

                    builder.Append(ts, key, key is null, value, value is null, headers.Encoded);
                    expected.Add((offset++, ts, key, value, hs));
                }

                p.Append(builder.Finish());
            }

            segmentPath = p.Segments[0].LogPath;
        }

        string json = PythonRunner.Run(DumpScript, string.Empty, segmentPath);
        using JsonDocument doc = JsonDocument.Parse(json);
        var actual = doc.RootElement.EnumerateArray().SelectMany(b => b.GetProperty("records").EnumerateArray()).ToList();
        Assert.Equal(5, doc.RootElement.GetArrayLength());
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            JsonElement r = actual[i];
            Assert.Equal(expected[i].Offset, r.GetProperty("offset").GetInt64());
            Assert.Equal(expected[i].Ts, r.GetProperty("ts").GetInt64());
            Assert.Equal(Hex(expected[i].Key), NullableString(r.GetProperty("key")));
            Assert.Equal(Hex(expected[i].Value), NullableString(r.GetProperty("value")));
            var hs = r.GetProperty("headers").EnumerateArray().Select(h => (h[0].GetString()!, NullableString(h[1]))).ToList();
            Assert.Equal(expected[i].Headers.Select(h => (h.Item1, Hex(h.Item2))).ToList(), hs);
        }

        foreach (JsonElement batch in doc.RootElement.EnumerateArray())
        {
            var recs = batch.GetProperty("records").EnumerateArray().ToList();
            Assert.Equal(recs[0].GetProperty("offset").GetInt64(), batch.GetProperty("base").GetInt64());
            Assert.Equal(recs.Max(x => x.GetProperty("ts").GetInt64()), batch.GetProperty("maxTs").GetInt64());
        }
    }

    [Fact]
    public void WeRead_BatchesBuiltByKafkaPython()
    {
        const string buildScript = """
import sys
from kafka.record.default_records import DefaultRecordBatchBuilder
out = []
for b in range(3):
    builder = DefaultRecordBatchBuilder(magic=2, compression_type=0, is_transactional=0, producer_id=-1, producer_epoch=-1, base_sequence=-1, batch_size=1 << 20)
    for i in range(10):
        key = None if i == 4 else ('k%d-%d' % (b, i)).encode()
        value = None if i == 7 else bytes([(i * 13 + j) % 256 for j in range(i * 9)])
        headers = [('trace', ('t%d' % i).encode())] if i % 2 == 0 else []
        builder.append(i, timestamp=1600000000000 + b * 100 + i, key=key, value=value, headers=headers)
    out.append(bytes(builder.build()).hex())
print('\n'.join(out))
""";
        string[] batches = PythonRunner.Run(buildScript).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, batches.Length);
        using var dir = new TempDir();
        using EmbeddedLog log = EmbeddedLog.Open(Options(dir.Path));
        log.EnsureTopic("from-python", new TopicConfig(1));
        PartitionLog p = log.GetPartition("from-python", 0);
        foreach (string hex in batches)
        {
            byte[] batch = Convert.FromHexString(hex);
            Assert.Null(RecordBatch.Validate(batch));
            p.Append(batch, validate: true);
        }

        List<TestRecord> records = ReadAll(p);
        Assert.Equal(30, records.Count);
        for (int n = 0; n < 30; n++)
        {
            int b = n / 10;
            int i = n % 10;
            TestRecord r = records[n];
            Assert.Equal(n, r.Offset);
            Assert.Equal(1_600_000_000_000 + (b * 100) + i, r.Timestamp);
            Assert.Equal(i == 4 ? null : Bytes($"k{b}-{i}"), r.Key);
            Assert.Equal(i == 7 ? null : Enumerable.Range(0, i * 9).Select(j => (byte)(((i * 13) + j) % 256)).ToArray(), r.Value);
            var headers = new RecordHeaders(r.Headers);
            Assert.Equal(i % 2 == 0 ? 1 : 0, headers.Count);
            if (i % 2 == 0)
            {
                Assert.Equal($"t{i}", headers.GetLastString("trace"));
            }
        }
    }

    [Fact]
    public void KafkaPython_ParsesCompactedSegments_WithOffsetGaps()
    {
        using var dir = new TempDir();
        string segmentPath;
        List<TestRecord> ours;
        using (EmbeddedLog log = EmbeddedLog.Open(Options(dir.Path)))
        {
            log.EnsureTopic("cmp", new TopicConfig(1, Compacted: true));
            PartitionLog p = log.GetPartition("cmp", 0);
            for (int b = 0; b < 6; b++)
            {
                AppendBatch(p, Enumerable.Range(0, 8).Select(i => ((byte[]?)Bytes($"k{(b * 8 + i) % 11}"), (byte[]?)Bytes($"v{b}.{i}"), 5000L + (b * 8) + i)).ToList());
            }

            p.Roll();
            AppendBatch(p, new List<(byte[]?, byte[]?, long)> { (Bytes("k3"), Bytes("last"), 9000), (Bytes("k9"), Bytes("last"), 9001) });
            Assert.True(p.Compact() > 0);
            segmentPath = p.Segments[0].LogPath;
            ours = ReadAll(p).Where(r => r.Offset < p.Segments[1].BaseOffset).ToList();
        }

        using JsonDocument doc = JsonDocument.Parse(PythonRunner.Run(DumpScript, string.Empty, segmentPath));
        var theirs = doc.RootElement.EnumerateArray().SelectMany(b => b.GetProperty("records").EnumerateArray()).ToList();
        Assert.Equal(ours.Select(r => r.Offset), theirs.Select(r => r.GetProperty("offset").GetInt64()));
        Assert.Equal(ours.Select(r => Hex(r.Value)), theirs.Select(r => NullableString(r.GetProperty("value"))));
        Assert.Equal(ours.Select(r => r.Timestamp), theirs.Select(r => r.GetProperty("ts").GetInt64()));
        Assert.True(ours.Zip(ours.Skip(1)).Any(pair => pair.Second.Offset > pair.First.Offset + 1), "compaction should leave offset gaps");
        foreach (JsonElement batch in doc.RootElement.EnumerateArray())
        {
            Assert.Equal(7, batch.GetProperty("lastDelta").GetInt32()); // the original batch span is kept
        }
    }

    private const string TransactionDumpScript = """
import sys, json
from kafka.record.memory_records import MemoryRecords
out = []
for path in sys.argv[1:]:
    records = MemoryRecords(open(path, 'rb').read())
    while True:
        batch = records.next_batch()
        if batch is None:
            break
        if not batch.validate_crc():
            raise SystemExit('crc mismatch in batch at base offset %d' % batch.base_offset)
        h = batch._header_data
        recs = [{'offset': r.offset,
                 'key': None if r.key is None else bytes(r.key).hex(),
                 'value': None if r.value is None else bytes(r.value).hex()} for r in batch]
        out.append({'file': path, 'base': batch.base_offset, 'transactional': bool(batch.is_transactional),
                    'control': bool(batch.is_control_batch), 'producerId': h[9], 'epoch': h[10], 'baseSequence': h[11],
                    'records': recs})
print(json.dumps(out))
""";

    [Fact]
    public void KafkaPython_ParsesTransactionalAndControlBatches_OfCommittedTransactions()
    {
        using var dir = new TempDir();
        var paths = new List<string>();
        using (var transport = new EmbeddedLogTransport(Options(dir.Path)))
        {
            transport.EnsureTopics(new[] { new TopicSpec("in", 1), new TopicSpec("tx-out", 1) });
            using IKappaConsumer input = transport.CreateConsumer(new ConsumerSettings { GroupId = "g" });
            using ITransactionalProducer producer = transport.CreateTransactionalProducer(new ProducerSettings(), "interop");
            producer.InitTransactions(TimeSpan.FromSeconds(5));
            for (int t = 0; t < 3; t++)
            {
                producer.BeginTransaction();
                for (int i = 0; i < 1500; i++)
                {
                    producer.Produce(new OutgoingRecord("tx-out", Bytes($"k{t}.{i}"), Bytes($"v{t}.{i}")));
                }

                producer.SendOffsetsToTransaction(new[] { new TopicPartitionOffset("in", 0, t + 1) }, input, TimeSpan.FromSeconds(5));
                producer.CommitTransaction(TimeSpan.FromSeconds(5));
            }

            paths.Add(transport.Log.GetPartition("tx-out", 0).Segments[0].LogPath);
            paths.Add(transport.Log.GetPartition(KappaNames.ConsumerOffsetsTopic, 0).Segments[0].LogPath);
        }

        using JsonDocument doc = JsonDocument.Parse(PythonRunner.Run(TransactionDumpScript, string.Empty, paths.ToArray()));
        var batches = doc.RootElement.EnumerateArray().ToList();
        var data = batches.Where(b => b.GetProperty("file").GetString() == paths[0]).ToList();

        // Per transaction: two data batches (1,000 + 500 records) and a COMMIT marker, all with the producer id and epoch.
        Assert.Equal(9, data.Count);
        long producerId = data[0].GetProperty("producerId").GetInt64();
        Assert.True(producerId >= 0);
        var values = new List<string>();
        long expectedOffset = 0;
        for (int i = 0; i < data.Count; i++)
        {
            JsonElement b = data[i];
            Assert.True(b.GetProperty("transactional").GetBoolean());
            Assert.Equal(producerId, b.GetProperty("producerId").GetInt64());
            Assert.Equal(0, b.GetProperty("epoch").GetInt32());
            Assert.Equal(expectedOffset, b.GetProperty("base").GetInt64());
            var recs = b.GetProperty("records").EnumerateArray().ToList();
            expectedOffset += recs.Count;
            if (i % 3 == 2)
            {
                Assert.True(b.GetProperty("control").GetBoolean());
                Assert.Equal(-1, b.GetProperty("baseSequence").GetInt32());
                Assert.Equal("00000001", recs.Single().GetProperty("key").GetString()); // version 0, type 1 = COMMIT
            }
            else
            {
                Assert.False(b.GetProperty("control").GetBoolean());
                Assert.Equal(((i / 3) * 1500) + (i % 3 * 1000), b.GetProperty("baseSequence").GetInt32());
                values.AddRange(recs.Select(r => System.Text.Encoding.UTF8.GetString(Convert.FromHexString(r.GetProperty("value").GetString()!))));
            }
        }

        Assert.Equal(Enumerable.Range(0, 3).SelectMany(t => Enumerable.Range(0, 1500).Select(i => $"v{t}.{i}")), values);

        // The offsets topic: a transactional offsets batch and a COMMIT marker per transaction.
        var offsets = batches.Where(b => b.GetProperty("file").GetString() == paths[1]).ToList();
        Assert.Equal(6, offsets.Count);
        Assert.All(offsets, b => Assert.True(b.GetProperty("transactional").GetBoolean()));
        Assert.Equal(new[] { false, true, false, true, false, true }, offsets.Select(b => b.GetProperty("control").GetBoolean()));
    }

    [Fact]
    public void CorruptedPythonBatch_FailsValidation()
    {
        byte[] batch = Convert.FromHexString(PythonRunner.Run("""
from kafka.record.default_records import DefaultRecordBatchBuilder
b = DefaultRecordBatchBuilder(magic=2, compression_type=0, is_transactional=0, producer_id=-1, producer_epoch=-1, base_sequence=-1, batch_size=1 << 20)
b.append(0, timestamp=1, key=b'k', value=b'value', headers=[])
print(bytes(b.build()).hex())
""").Trim());
        batch[^2] ^= 0x40;
        Assert.Contains("CRC-32C mismatch", RecordBatch.Validate(batch));
    }

    private static string? Hex(byte[]? b) => b is null ? null : Convert.ToHexString(b).ToLowerInvariant();

    private static string? NullableString(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : e.GetString();
}
