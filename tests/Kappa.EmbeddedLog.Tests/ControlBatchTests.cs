using Kappa.Log;
using static Kappa.Log.Tests.LogTestSupport;

namespace Kappa.Log.Tests;

public class ControlBatchTests
{
    [Fact]
    public void ControlBatches_AreSkippedByReaders_ButKeepTheirOffsets()
    {
        using var dir = new TempDir();
        using EmbeddedLog log = EmbeddedLog.Open(LogTestSupport.Options(dir.Path));
        log.EnsureTopic("tx", new TopicConfig(1));
        PartitionLog p = log.GetPartition("tx", 0);
        LogTestSupport.AppendBatch(p, new List<(byte[]?, byte[]?, long)> { (LogTestSupport.Bytes("a"), LogTestSupport.Bytes("1"), 1) });
        using (var marker = new Kappa.Log.Format.RecordBatchBuilder())
        {
            // A COMMIT marker as Kafka writes it: control + transactional attributes, key = version 0, type 1.
            marker.Attributes = Kappa.Log.Format.RecordBatch.ControlMask | Kappa.Log.Format.RecordBatch.TransactionalMask;
            marker.Append(2, new byte[] { 0, 0, 0, 1 }, false, new byte[] { 0, 0, 0, 0, 0, 0 }, false, default);
            p.Append(marker.Finish());
        }

        LogTestSupport.AppendBatch(p, new List<(byte[]?, byte[]?, long)> { (LogTestSupport.Bytes("b"), LogTestSupport.Bytes("2"), 3) });
        List<TestRecord> read = LogTestSupport.ReadAll(p);
        Assert.Equal(new long[] { 0, 2 }, read.Select(r => r.Offset));
        Assert.Equal(3, p.LogEndOffset);
    }
}
