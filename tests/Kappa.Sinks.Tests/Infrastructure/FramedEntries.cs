using System.Buffers;
using Kappa.Avro;
using Kappa.Avro.Registry;
using Kappa.Log;
using Kappa.Log.Registry;
using Kappa.SinkHost.Records;
using Kappa.Transport;

namespace Kappa.Sinks.Tests.Infrastructure;

/// <summary>
/// Confluent-framed <see cref="LedgerEntry"/> values of two schema versions, as an older and a newer producer write them:
/// v1 has entry_id as an int (read as long) and a channel field the table's type does not have; v2 is the type's own schema.
/// </summary>
public static class FramedEntries
{
    public const string V1Schema = """{"type":"record","name":"LedgerEntry","fields":[{"name":"entry_id","type":"int"},{"name":"channel","type":"string"},{"name":"account","type":"string"},{"name":"amount","type":{"type":"bytes","logicalType":"decimal","precision":12,"scale":2}},{"name":"memo","type":"string"}]}""";

    /// <summary>A schema LedgerEntry cannot read: entry_id is a string (no promotion to long).</summary>
    public const string UnreadableSchema = """{"type":"record","name":"LedgerEntry","fields":[{"name":"entry_id","type":"string"},{"name":"account","type":"string"},{"name":"amount","type":{"type":"bytes","logicalType":"decimal","precision":12,"scale":2}},{"name":"memo","type":"string"}]}""";

    /// <summary>The embedded log's schema registry of a test transport (the transport must be the embedded log).</summary>
    public static EmbeddedSchemaRegistry Registry(TestTransport transport) =>
        new(((EmbeddedLogTransport)transport.Transport).Log);

    /// <summary>Registers v1 and then v2 under the topic's value subject (TopicNameStrategy); returns both ids.</summary>
    public static (int V1, int V2) RegisterBoth(ISchemaRegistry registry, string topic)
    {
        int v1 = registry.RegisterAsync(topic + "-value", V1Schema).AsTask().GetAwaiter().GetResult();
        int v2 = registry.RegisterAsync(topic + "-value", LedgerEntry.AvroSchemaJson).AsTask().GetAwaiter().GetResult();
        return (v1, v2);
    }

    public static byte[] V1(LedgerEntry entry, int schemaId)
    {
        var output = new ArrayBufferWriter<byte>();
        ConfluentWireFormat.WriteHeader(schemaId, output);
        var writer = new AvroWriter(output);
        writer.WriteInt(checked((int)entry.EntryId));
        writer.WriteString("web");
        writer.WriteString(entry.Account);
        Assert.True(writer.TryWriteDecimal(entry.Amount, 12, 2));
        writer.WriteString(entry.Memo);
        writer.Flush();
        return output.WrittenSpan.ToArray();
    }

    public static byte[] V2(LedgerEntry entry, int schemaId)
    {
        var output = new ArrayBufferWriter<byte>();
        ConfluentWireFormat.Serialize(entry, schemaId, output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Produces <paramref name="entries"/> framed: even entry ids with v1, odd ones with v2.</summary>
    public static void Produce(IKappaTransport transport, string topic, int partitions, IEnumerable<LedgerEntry> entries, (int V1, int V2) ids)
    {
        transport.EnsureTopics([new TopicSpec(topic, partitions)]);
        using IKappaProducer producer = transport.CreateProducer(new ProducerSettings());
        foreach (LedgerEntry entry in entries)
        {
            byte[] value = entry.EntryId % 2 == 0 ? V1(entry, ids.V1) : V2(entry, ids.V2);
            producer.Produce(new OutgoingRecord(topic, Workload.AccountKey(entry.EntryId), value) { TimestampMs = 1_000 + entry.EntryId });
        }

        producer.Flush();
    }

    /// <summary>The table's rows without partition and offset, ordered by entry id.</summary>
    public static List<string[]> Rows(TestDatabase db, string table) =>
        Infrastructure.Rows.Entries(db, table).Select(r => r[2..]).OrderBy(r => long.Parse(r[0], System.Globalization.CultureInfo.InvariantCulture)).ToList();

    public static List<string[]> Expected(IEnumerable<LedgerEntry> entries) =>
        entries.OrderBy(e => e.EntryId).Select(e => new[]
        {
            Canonical.Of(e.EntryId, TableColumnType.Int64),
            Canonical.Of(e.Account, TableColumnType.Text),
            Canonical.Of(e.Amount, TableColumnType.Decimal),
            Canonical.Of(e.Memo, TableColumnType.Text),
        }).ToList();
}
