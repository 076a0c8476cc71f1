using System.Text;
using Avro;
using Avro.Generic;
using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using Kappa.Avro.Registry;
using Kappa.Kafka;
using Kappa.Kafka.Registry;
using Kappa.Kafka.Testing;
using Kappa.Log;
using Kappa.Log.Registry;
using Kappa.Processing;
using Kappa.Transport;

namespace Kappa.Integration.Tests.Interop;

/// <summary>
/// Confluent's own serdes on both ends of a generated processor, on Kafka (the librdkafka mock cluster), with Kappa's
/// embedded Schema Registry served over HTTP: Confluent's <c>AvroSerializer</c> writes customers with schema v1 and v2,
/// <see cref="CustomerCards"/> (generated from v3) reads every one through its framed input, and Confluent's
/// <c>AvroDeserializer</c> reads the framed cards it writes. Records that are not framed, carry an unknown schema id or
/// a schema v3 cannot read go to the dead-letter topic with their reason.
/// </summary>
public sealed class ConfluentSerdesProcessorTests : IDisposable
{
    private const string V1 = """
        {"type":"record","name":"Customer","namespace":"kappa.interop.crm","fields":[
          {"name":"Name","type":"string"},{"name":"Id","type":"int"},
          {"name":"Tier","type":{"type":"enum","name":"CustomerTier","symbols":["Gold","Bronze"]}}]}
        """;

    private static readonly string V2 = V1.Replace(
        """{"name":"Id","type":"int"},""",
        """{"name":"Id","type":"int"},{"name":"Email","type":["null","string"],"default":null},""",
        StringComparison.Ordinal);

    /// <summary>A customer schema v3 cannot read: the Id is a string.</summary>
    private const string Incompatible = """{"type":"record","name":"Customer","namespace":"kappa.interop.crm","fields":[{"name":"Id","type":"string"}]}""";

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "kappa-serdes-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task Confluent_serializer_v1_and_v2_through_a_v3_processor_to_Confluent_deserializer()
    {
        using EmbeddedLog log = EmbeddedLog.Open(new EmbeddedLogOptions { Directory = _dir, FsyncPolicy = FsyncPolicy.Never });
        var schemas = new EmbeddedSchemaRegistry(log);
        await using SchemaRegistryHttpServer http = SchemaRegistryHttpServer.Start(schemas.Registry);
        using var cluster = new MockKafkaCluster(1);
        using var transport = new KafkaTransport(cluster.TransportOptions());
        ProcessorDescriptor descriptor = CustomerCards.KappaDescriptor;
        transport.EnsureTopics([new TopicSpec("customers", 2)]);
        using var client = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = http.Url });
        NativeLibraryLoader.EnsureLoaded();

        // Confluent's producer and AvroSerializer: three customers with v1, then three with v2 (auto-registered, topic subject).
        using (IProducer<string, GenericRecord> producer = new ProducerBuilder<string, GenericRecord>(new ProducerConfig { BootstrapServers = cluster.Bootstrap })
            .SetValueSerializer(new AvroSerializer<GenericRecord>(client))
            .Build())
        {
            for (int i = 0; i < 6; i++)
            {
                GenericRecord customer = i < 3 ? Customer(V1, i, null) : Customer(V2, i, i == 4 ? null : $"c{i}@example.com");
                await producer.ProduceAsync("customers", new Message<string, GenericRecord> { Key = $"c{i}", Value = customer });
            }
        }

        // Three records Kappa cannot read, written as raw bytes.
        int incompatible = await schemas.RegisterAsync("legacy-customers-value", Incompatible);
        using (IProducer<string, byte[]> raw = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = cluster.Bootstrap }).Build())
        {
            await raw.ProduceAsync("customers", new Message<string, byte[]> { Key = "not-framed", Value = [2, (byte)'x'] });
            await raw.ProduceAsync("customers", new Message<string, byte[]> { Key = "unknown-id", Value = [0, 0, 0, 0x30, 0x39, 2, (byte)'x'] });
            await raw.ProduceAsync("customers", new Message<string, byte[]> { Key = "incompatible", Value = [0, .. BigEndian(incompatible), 2, (byte)'x'] });
        }

        Assert.Equal([1, 2], (await schemas.GetVersionsAsync("customers-value")).Select(v => v.Version));

        // The processor reads the registry through Confluent's CachedSchemaRegistryClient over HTTP, as against a real registry.
        using var registry = new ConfluentSchemaRegistry(new SchemaRegistryConfig { Url = http.Url });
        var runner = ProcessorRunner.Create(new CustomerCards(), transport, new ProcessorOptions { SchemaRegistry = registry, PollTimeout = TimeSpan.FromMilliseconds(20) });
        ProcessorLag.RunUntilCaughtUp(runner, transport, TimeSpan.FromMinutes(2));
        Assert.Equal(9, runner.RecordsProcessed);

        // Confluent's consumer and AvroDeserializer read Kappa's framed outputs.
        var cards = new Dictionary<string, GenericRecord>();
        using (IConsumer<string, GenericRecord> consumer = new ConsumerBuilder<string, GenericRecord>(new ConsumerConfig
            {
                BootstrapServers = cluster.Bootstrap,
                GroupId = "confluent-reader",
                AutoOffsetReset = AutoOffsetReset.Earliest,
            })
            .SetValueDeserializer(new AvroDeserializer<GenericRecord>(client).AsSyncOverAsync())
            .Build())
        {
            consumer.Subscribe(descriptor.OutputTopics[0]);
            DateTime deadline = DateTime.UtcNow.AddMinutes(1);
            while (cards.Count < 6 && DateTime.UtcNow < deadline)
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { Message: { } message })
                {
                    cards.Add(message.Key, message.Value);
                }
            }

            consumer.Close();
        }

        Assert.Equal(["c0", "c1", "c2", "c3", "c4", "c5"], cards.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("name-0 (Gold)", cards["c0"]["Title"]);
        Assert.Equal("name-1 (Bronze)", cards["c1"]["Title"]);
        Assert.Equal(5L, cards["c5"]["Id"]);
        Assert.Null(cards["c2"]["Contact"]);
        Assert.Equal("c3@example.com", cards["c3"]["Contact"]);
        Assert.Null(cards["c4"]["Contact"]);
        Assert.Equal(CustomerCard.AvroSchemaJson, Assert.Single(await schemas.GetVersionsAsync("customer-cards.v1-value")).Schema);

        // The three unreadable records are dead letters with their reason.
        var reasons = new Dictionary<string, string>();
        using (IConsumer<string, byte[]> dlq = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
            {
                BootstrapServers = cluster.Bootstrap,
                GroupId = "dlq-reader",
                AutoOffsetReset = AutoOffsetReset.Earliest,
            }).Build())
        {
            dlq.Subscribe(descriptor.DeadLetterTopic);
            DateTime deadline = DateTime.UtcNow.AddMinutes(1);
            while (reasons.Count < 3 && DateTime.UtcNow < deadline)
            {
                if (dlq.Consume(TimeSpan.FromMilliseconds(200)) is { Message: { } message })
                {
                    reasons.Add(message.Key, Encoding.UTF8.GetString(message.Headers.GetLastBytes(DeadLetterHeaders.Reason)));
                }
            }

            dlq.Close();
        }

        Assert.Equal(DeadLetterHeaders.ReasonBadFraming, reasons["not-framed"]);
        Assert.Equal(DeadLetterHeaders.ReasonUnknownSchemaId, reasons["unknown-id"]);
        Assert.Equal(DeadLetterHeaders.ReasonUnresolvableSchema, reasons["incompatible"]);
    }

    private static GenericRecord Customer(string schemaJson, int i, string? email)
    {
        var schema = (RecordSchema)global::Avro.Schema.Parse(schemaJson);
        var record = new GenericRecord(schema);
        record.Add("Name", $"name-{i}");
        record.Add("Id", i);
        record.Add("Tier", new GenericEnum((EnumSchema)schema["Tier"].Schema, i % 2 == 0 ? "Gold" : "Bronze"));
        if (schema.Contains("Email"))
        {
            record.Add("Email", email);
        }

        return record;
    }

    private static byte[] BigEndian(int value)
    {
        byte[] bytes = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        return bytes;
    }
}
