using Kappa.Avro;
using Kappa.Processing;
using Kappa.Sinks.Tests.Infrastructure;
using Kappa.SinkHost.Records;
using Kappa.Transport;

namespace Kappa.Sinks.Tests;

/// <summary>Records the database refuses, and records that cannot become rows, go to the sink's dead-letter topic with the reason; the writer goes on.</summary>
public sealed class DeadLetterTests
{
    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.PostgreSql)]
    public void RefusedAndUndecodableRecords_AreDeadLettered_AndTheRestIsWritten(DatabaseKind kind)
    {
        using var transport = TestTransport.Create(TransportKind.EmbeddedLog);
        using var db = TestDatabase.Create(kind);
        var target = new SinkTarget("ledger", 1);
        var random = new Random(5);
        var entries = Enumerable.Range(0, 300).Select(i => Workload.Entry(i, random)).ToList();
        entries[40] = entries[40] with { EntryId = 7 };   // repeats entry 7: the unique index refuses it (both databases)
        if (kind == DatabaseKind.PostgreSql)
        {
            entries[120] = entries[120] with { Amount = 123_456.78m };   // numeric(7,2) holds less than 100,000
            entries[200] = entries[200] with { Memo = "nul \0 inside" };  // PostgreSQL text cannot hold NUL
        }

        Workload.ProduceEntries(transport.Transport, target.Topic, 2, entries);
        using (IKappaProducer producer = transport.Transport.CreateProducer(new ProducerSettings()))
        {
            producer.Produce(new OutgoingRecord(target.Topic, Workload.AccountKey(1), [0xFF, 0xFF, 0xFF]) { Partition = 0 });   // not Avro
            producer.Produce(new OutgoingRecord(target.Topic, Workload.AccountKey(2), default) { Partition = 1, ValueIsNull = true });   // tombstone: no row in an append table
            producer.Flush();
        }

        using var run = new WriterRun<LedgerEntry>(transport.Transport, db, target, MaterializationTests.Options(maxBatch: 64));
        run.WaitCaughtUp();

        List<DeadLetterReader.DeadLetter> dead = DeadLetterReader.ReadAll(transport.Transport, target.DeadLetterTopic);
        List<TopicTruth.Entry<LedgerEntry>> truth = ReadTruthSkippingUndecodable(transport.Transport, target.Topic);
        var refusedIds = new HashSet<long> { 7 };
        var expectedDead = new List<(string Reason, string Code)> { (DeadLetterHeaders.ReasonRefused, kind == DatabaseKind.PostgreSql ? "23505" : "2067") };
        if (kind == DatabaseKind.PostgreSql)
        {
            expectedDead.Add((DeadLetterHeaders.ReasonRefused, "22003"));
            expectedDead.Add((DeadLetterHeaders.ReasonRefused, "22021"));
        }

        expectedDead.Add((DeadLetterHeaders.ReasonUndecodable, string.Empty));
        expectedDead.Add((DeadLetterHeaders.ReasonNullValue, string.Empty));
        Assert.Equal(expectedDead.OrderBy(d => d.Reason).ThenBy(d => d.Code), dead.Select(d => (d.Reason, d.Code)).OrderBy(d => d.Reason).ThenBy(d => d.Code));
        Assert.All(dead, d => Assert.Equal(target.Table, d.Table));
        Assert.All(dead.Where(d => d.Reason == DeadLetterHeaders.ReasonRefused), d => Assert.False(string.IsNullOrWhiteSpace(d.Error)));
        if (kind == DatabaseKind.PostgreSql)
        {
            Assert.Contains(dead, d => d.Code == "22003" && d.Error.Contains("numeric field overflow", StringComparison.Ordinal));
            Assert.Contains(dead, d => d.Code == "22021" && d.Error.Contains("0x00", StringComparison.Ordinal));
            Assert.Contains(dead, d => d.Code == "23505" && d.Error.Contains("duplicate key", StringComparison.Ordinal));
        }
        else
        {
            Assert.Contains(dead, d => d.Code == "2067" && d.Error.Contains("UNIQUE constraint failed", StringComparison.Ordinal));
        }

        // The refused record keeps its original value: it decodes to the entry that was refused.
        DeadLetterReader.DeadLetter duplicate = dead.Single(d => d.Code is "23505" or "2067");
        Assert.Equal(7, AvroSerializer.Deserialize<LedgerEntry>(duplicate.Value).EntryId);
        Assert.NotEqual(entries[7], AvroSerializer.Deserialize<LedgerEntry>(duplicate.Value));

        // Everything else is in the table: the topic's decodable records minus the refused ones.
        var refusedOffsets = dead.Select(d => (d.Partition, d.Offset)).ToHashSet();
        List<string[]> expected = Rows.ExpectedEntries(truth.Where(t => !refusedOffsets.Contains((t.Partition, t.Offset))));
        Assert.Equal(300 - (kind == DatabaseKind.PostgreSql ? 3 : 1), expected.Count);
        Rows.AssertSame(expected, Rows.Entries(db, target.Table), "rows besides the dead letters");

        // The writer goes on after dead-lettering.
        Workload.ProduceEntries(transport.Transport, target.Topic, 2, Enumerable.Range(1000, 50).Select(i => Workload.Entry(i, random)));
        run.WaitCaughtUp();
        Assert.Equal(expected.Count + 50, Rows.Entries(db, target.Table).Count);
        run.Stop();
    }

    private static List<TopicTruth.Entry<LedgerEntry>> ReadTruthSkippingUndecodable(IKappaTransport transport, string topic)
    {
        // TopicTruth decodes every value; here one value is garbage on purpose, so read with a lenient decode.
        var result = new List<TopicTruth.Entry<LedgerEntry>>();
        int partitions = transport.GetPartitionCount(topic)!.Value;
        using IKappaConsumer consumer = transport.CreateConsumer(new ConsumerSettings { GroupId = "truth-" + Guid.NewGuid().ToString("N") });
        long total = 0;
        var assignment = new List<TopicPartitionOffset>();
        for (int p = 0; p < partitions; p++)
        {
            total += transport.GetWatermarks(new TopicPartition(topic, p)).High;
            assignment.Add(new TopicPartitionOffset(topic, p, 0));
        }

        consumer.Assign(assignment);
        long seen = 0;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (seen < total && DateTime.UtcNow < deadline)
        {
            if (consumer.TryConsume(TimeSpan.FromMilliseconds(200), out ConsumedRecord r))
            {
                seen++;
                LedgerEntry? value = null;
                if (!r.ValueIsNull)
                {
                    try
                    {
                        value = AvroSerializer.Deserialize<LedgerEntry>(r.Value);
                    }
                    catch (AvroDecodeException)
                    {
                        continue;
                    }
                }

                result.Add(new TopicTruth.Entry<LedgerEntry>(r.Partition, r.Offset, r.Key.ToArray(), value));
            }
        }

        return result;
    }
}
