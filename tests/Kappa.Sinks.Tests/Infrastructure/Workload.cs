using System.Buffers.Binary;
using Kappa.Avro;
using Kappa.SinkHost.Records;
using Kappa.Transport;

namespace Kappa.Sinks.Tests.Infrastructure;

/// <summary>Produces seeded test records into a sink's topic (keys choose partitions by murmur2, as Kafka's default partitioner).</summary>
public static class Workload
{
    /// <summary>The record key of an account: its 8-byte big-endian number.</summary>
    public static byte[] AccountKey(long account)
    {
        var key = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(key, account);
        return key;
    }

    public static Position RandomPosition(Random random, long account, int version) => new()
    {
        Account = account,
        Active = random.Next(2) == 0,
        Count = random.Next(int.MinValue, int.MaxValue),
        Ratio = (float)random.NextDouble() * 1000f,
        Score = (random.NextDouble() - 0.5) * 1e9,
        Amount = Math.Round((decimal)(random.NextDouble() * 2_000_000_000 - 1_000_000_000), 2),
        Name = $"acct-{account}-v{version} é ✓",
        Note = random.Next(3) == 0 ? null : $"note {version} 'quoted' \"double\"",
        Payload = random.Next(3) == 0 ? null : random.Next(4) == 0 ? [] : Guid.NewGuid().ToByteArray(),
        RefId = Guid.NewGuid(),
        UpdatedAt = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(random.NextInt64(0, 100_000_000_000) * 10),
        Tags = Enumerable.Range(0, random.Next(4)).Select(i => $"t{i}\"{version}").ToList(),
    };

    /// <summary>Upserts and tombstones of <paramref name="accounts"/> accounts; about one record in ten is a tombstone.</summary>
    public static void ProducePositions(IKappaTransport transport, string topic, int partitions, int records, int accounts, int seed)
    {
        transport.EnsureTopics([new TopicSpec(topic, partitions)]);
        var random = new Random(seed);
        using IKappaProducer producer = transport.CreateProducer(new ProducerSettings());
        for (int i = 0; i < records; i++)
        {
            long account = random.Next(accounts);
            byte[] key = AccountKey(account);
            if (random.Next(10) == 0)
            {
                producer.Produce(new OutgoingRecord(topic, key, default) { ValueIsNull = true, TimestampMs = 1_000 + i });
            }
            else
            {
                byte[] value = AvroSerializer.SerializeToArray(RandomPosition(random, account, i));
                producer.Produce(new OutgoingRecord(topic, key, value) { TimestampMs = 1_000 + i });
            }
        }

        producer.Flush();
    }

    public static LedgerEntry Entry(long id, Random random) => new()
    {
        EntryId = id,
        Account = $"acct-{random.Next(50)}",
        Amount = Math.Round((decimal)(random.NextDouble() * 1_000), 2),
        Memo = $"entry {id}; DROP TABLE x; --",
    };

    public static void ProduceEntries(IKappaTransport transport, string topic, int partitions, IEnumerable<LedgerEntry> entries)
    {
        transport.EnsureTopics([new TopicSpec(topic, partitions)]);
        using IKappaProducer producer = transport.CreateProducer(new ProducerSettings());
        foreach (LedgerEntry entry in entries)
        {
            byte[] value = AvroSerializer.SerializeToArray(entry);
            producer.Produce(new OutgoingRecord(topic, AccountKey(entry.EntryId), value) { TimestampMs = 1_000 + entry.EntryId });
        }

        producer.Flush();
    }
}
