using Kappa.Log;
using Kappa.Log.Format;
using Kappa.Transport;
using static Kappa.Log.Tests.LogTestSupport;

namespace Kappa.Log.Tests;

/// <summary>
/// Isolation on logs holding interleaved transactions written elsewhere (transactional batches built by kafka-python,
/// appended raw, with COMMIT/ABORT markers): read_committed skips aborted data and stops before an open transaction
/// (the last stable offset); read_uncommitted sees every record.
/// </summary>
public class ReadCommittedTests
{
    private const string BuildScript = """
import sys
from kafka.record.default_records import DefaultRecordBatchBuilder
for line in sys.stdin.read().split():
    pid, txn, values = line.split(':')
    b = DefaultRecordBatchBuilder(magic=2, compression_type=0, is_transactional=int(txn), producer_id=int(pid),
                                  producer_epoch=0 if int(pid) >= 0 else -1, base_sequence=0 if int(pid) >= 0 else -1, batch_size=1 << 20)
    for i, v in enumerate(values.split(',')):
        b.append(i, timestamp=1000 + i, key=b'k', value=v.encode(), headers=[])
    print(bytes(b.build()).hex())
""";

    [Fact]
    public void ReadCommitted_SkipsAbortedTransactions_AndStopsAtTheFirstOpenOne_UntilItsMarkerArrives()
    {
        using var dir = new TempDir();
        using var transport = new EmbeddedLogTransport(Options(dir.Path));
        transport.EnsureTopics(new[] { new TopicSpec("mixed", 1) });
        PartitionLog p = transport.Log.GetPartition("mixed", 0);

        // "pid:transactional:values" per data batch; markers are added below in between.
        string[] batches = PythonRunner.Run(BuildScript, "-1:0:plain0 7:1:t7a,t7b 8:1:t8a -1:0:plain1 8:1:t8b 9:1:t9a -1:0:plain2").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        p.Append(Convert.FromHexString(batches[0].Trim()), validate: true); // plain0
        p.Append(Convert.FromHexString(batches[1].Trim()), validate: true); // t7 (will abort)
        p.Append(Convert.FromHexString(batches[2].Trim()), validate: true); // t8 first batch
        p.Append(Convert.FromHexString(batches[3].Trim()), validate: true); // plain1
        AppendMarker(p, 7, commit: false);
        p.Append(Convert.FromHexString(batches[4].Trim()), validate: true); // t8 second batch
        p.Append(Convert.FromHexString(batches[5].Trim()), validate: true); // t9 (open)
        AppendMarker(p, 8, commit: true);
        p.Append(Convert.FromHexString(batches[6].Trim()), validate: true); // plain2

        Assert.Equal(new[] { "plain0", "t7a", "t7b", "t8a", "plain1", "t8b", "t9a", "plain2" }, Values(p.OpenReader(0, readCommitted: false)));

        using PartitionReader committed = p.OpenReader(0, readCommitted: true);
        Assert.Equal(new[] { "plain0", "t8a", "plain1", "t8b" }, Values(committed));
        Assert.True(committed.AtEnd);

        // The consumers follow their ReadCommitted setting.
        using IKappaConsumer rc = transport.CreateConsumer(new ConsumerSettings { GroupId = "rc" });
        using IKappaConsumer ru = transport.CreateConsumer(new ConsumerSettings { GroupId = "ru", ReadCommitted = false });
        rc.Subscribe(new[] { "mixed" });
        ru.Subscribe(new[] { "mixed" });
        Assert.Equal(new[] { "plain0", "t8a", "plain1", "t8b" }, TransactionTests.Drain(rc));
        Assert.Equal(8, TransactionTests.Drain(ru).Count);

        // The open transaction commits: everything after the last stable offset becomes readable.
        AppendMarker(p, 9, commit: true);
        Assert.Equal(new[] { "t9a", "plain2" }, Values(committed));
        Assert.Equal(new[] { "t9a", "plain2" }, TransactionTests.Drain(rc));

        // Seeking into the middle works the same way.
        using PartitionReader fromMiddle = p.OpenReader(2, readCommitted: true);
        Assert.Equal(new[] { "t8a", "plain1", "t8b", "t9a", "plain2" }, Values(fromMiddle));
    }

    private static List<string> Values(PartitionReader reader)
    {
        var values = new List<string>();
        while (reader.TryRead(out BatchRecord r))
        {
            values.Add(System.Text.Encoding.UTF8.GetString(r.Value));
        }

        return values;
    }
}
