using System.Buffers;
using System.Text.Json.Nodes;
using Avro.Generic;
using Avro.IO;
using Avro.Specific;
using BenchmarkDotNet.Attributes;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using Kappa.Avro;
using Kappa.Avro.Registry;
using Kappa.Avro.Schemas;
using SpecificBenchOrder = Kappa.Benchmarks.Avro.Specific.BenchOrder;

namespace Kappa.Benchmarks.Avro;

/// <summary>
/// Decoding the benchmark order written with an older schema (two writer-only fields: one in the order, one in every
/// line) as today's BenchOrder, against decoding the same value written with today's schema (baseline), Apache.Avro
/// 1.12.2's GenericDatumReader(writer, reader), and Confluent's AvroDeserializer&lt;GenericRecord&gt; 2.16 (framed, schema
/// cached after warm-up, registry = Kappa's HTTP registry on loopback). The writer schema is recorded in the project's
/// kappa-avro-history.json, so BenchOrder has a generated resolving decoder for it (DecodeResolvingGenerated); the run-time
/// plan (DecodeResolving) is forced for comparison. The Evolved methods read the same writer bytes as BenchOrderEvolved,
/// which also has a field the writer lacks (Note, from its default): writer with extra and missing fields, against
/// BenchOrderEvolved's own same-schema decode.
/// Also Apache.Avro 1.12.2's SpecificDatumReader(writer, reader) (hand-written ISpecificRecord
/// classes, <see cref="SpecificBenchOrder"/>), and Confluent's AvroDeserializer 2.16 for GenericRecord and for the specific
/// class (framed, schema cached after warm-up, registry = Kappa's HTTP registry on loopback). Apache's specific reader also
/// reads today's bytes with today's schema (DecodeApacheAvroSpecificSameSchema), the counterpart of the baseline.
/// </summary>
[MemoryDiagnoser]
public class AvroResolutionBenchmarks
{
    private byte[] _sameSchemaBytes = null!;
    private byte[] _writerBytes = null!;
    private byte[] _framedWriterBytes = null!;
    private AvroResolution<BenchOrder> _resolution = null!;
    private AvroResolution<BenchOrder> _generated = null!;
    private byte[] _evolvedSameSchemaBytes = null!;
    private AvroResolution<BenchOrderEvolved> _evolvedResolution = null!;
    private AvroResolution<BenchOrderEvolved> _evolvedGenerated = null!;
    private GenericDatumReader<GenericRecord> _apacheReader = null!;
    private SchemaRegistryHttpServer _server = null!;
    private CachedSchemaRegistryClient _client = null!;
    private AvroDeserializer<GenericRecord> _confluent = null!;
    private SpecificDatumReader<SpecificBenchOrder> _apacheSpecificSameSchema = null!;
    private SpecificDatumReader<SpecificBenchOrder> _apacheSpecific = null!;
    private AvroDeserializer<SpecificBenchOrder> _confluentSpecific = null!;
    private SerializationContext _context;

    [GlobalSetup]
    public void Setup()
    {
        var order = new BenchOrder(
            "ord-2026-000123",
            "Ada Lovelace",
            1234.56m,
            new DateTimeOffset(2026, 11, 21, 8, 30, 0, TimeSpan.Zero),
            new BenchAddress("12 Analytical Engine Way", "London", "GB"),
            [new BenchLine("SKU-0001", 2, 199.99m), new BenchLine("SKU-0042", 1, 34.50m), new BenchLine("SKU-1337", 5, 160.02m)],
            BenchStatus.Paid);
        _sameSchemaBytes = AvroSerializer.SerializeToArray(order);

        // The older writer schema: today's plus a Channel field in the order and a Discount in every line.
        JsonObject writer = JsonNode.Parse(BenchOrder.AvroSchemaJson)!.AsObject();
        JsonArray fields = writer["fields"]!.AsArray();
        fields.Insert(2, new JsonObject { ["name"] = "Channel", ["type"] = "string", ["default"] = "web-shop" });
        JsonObject line = fields.Select(f => f!["type"]).OfType<JsonObject>().First(t => t["type"]!.GetValue<string>() == "array")["items"]!.AsObject();
        line["fields"]!.AsArray().Add(new JsonObject { ["name"] = "Discount", ["type"] = new JsonArray("null", "double"), ["default"] = null });
        string writerJson = writer.ToJsonString();

        // Writer bytes: today's bytes resolved into the writer schema (its extra fields take their defaults).
        ResolutionStep toWriter = AvroResolver.Build(AvroSchemaParser.Parse(BenchOrder.AvroSchemaJson), AvroSchemaParser.Parse(writerJson))!;
        var output = new ArrayBufferWriter<byte>();
        var reader = new AvroReader(_sameSchemaBytes, "setup");
        var avroWriter = new AvroWriter(output);
        toWriter.Run(ref reader, ref avroWriter);
        avroWriter.Flush();
        _writerBytes = output.WrittenSpan.ToArray();

        _resolution = AvroResolution<BenchOrder>.WithRuntimePlan(AvroSchemaParser.Parse(writerJson));
        if (_resolution.Decode(_writerBytes) is not { Lines.Count: 3 } check || check.Customer != order.Customer)
        {
            throw new InvalidOperationException("resolution setup is wrong");
        }

        // The same writer schema is recorded in kappa-avro-history.json (BenchOrder version 1 and, renamed,
        // BenchOrderEvolved version 1): the generated resolving decoders read it.
        _generated = AvroResolution<BenchOrder>.For(writerJson);
        var evolved = new BenchOrderEvolved(order.OrderId, order.Customer, order.Total, order.PlacedAt, order.ShipTo, order.Lines, order.Status, null);
        _evolvedSameSchemaBytes = AvroSerializer.SerializeToArray(evolved);
        string evolvedWriterJson = writerJson.Replace("\"name\":\"BenchOrder\"", "\"name\":\"BenchOrderEvolved\"", StringComparison.Ordinal);
        _evolvedResolution = AvroResolution<BenchOrderEvolved>.WithRuntimePlan(AvroSchemaParser.Parse(evolvedWriterJson));
        _evolvedGenerated = AvroResolution<BenchOrderEvolved>.For(evolvedWriterJson);
        if (!_generated.UsesGeneratedDecoder || !_evolvedGenerated.UsesGeneratedDecoder)
        {
            throw new InvalidOperationException(
                $"the writer schema (fingerprints {_generated.WriterFingerprint:x16}, {_evolvedGenerated.WriterFingerprint:x16}) is not recorded in tests/Kappa.Benchmarks/Avro/kappa-avro-history.json");
        }

        if (!AvroSerializer.SerializeToArray(_generated.Decode(_writerBytes)).AsSpan().SequenceEqual(_sameSchemaBytes)
            || !AvroSerializer.SerializeToArray(_evolvedGenerated.Decode(_writerBytes)).AsSpan().SequenceEqual(_evolvedSameSchemaBytes)
            || !AvroSerializer.SerializeToArray(_evolvedResolution.Decode(_writerBytes)).AsSpan().SequenceEqual(_evolvedSameSchemaBytes))
        {
            throw new InvalidOperationException("generated resolution setup is wrong");
        }

        _apacheReader = new GenericDatumReader<GenericRecord>(global::Avro.Schema.Parse(writerJson), global::Avro.Schema.Parse(BenchOrder.AvroSchemaJson));

        var registry = new InMemorySchemaRegistry();
        _server = SchemaRegistryHttpServer.Start(registry);
        int id = registry.RegisterAsync("orders-value", writerJson).AsTask().GetAwaiter().GetResult();
        var framed = new ArrayBufferWriter<byte>();
        ConfluentWireFormat.WriteHeader(id, framed);
        framed.Write(_writerBytes);
        _framedWriterBytes = framed.WrittenSpan.ToArray();
        _client = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = _server.Url });
        _confluent = new AvroDeserializer<GenericRecord>(_client);
        _context = new SerializationContext(MessageComponentType.Value, "orders");
        DecodeConfluentAvroDeserializer(); // warm-up: the schema is fetched once and cached

        _apacheSpecificSameSchema = new SpecificDatumReader<SpecificBenchOrder>(SpecificBenchOrder._SCHEMA, SpecificBenchOrder._SCHEMA);
        _apacheSpecific = new SpecificDatumReader<SpecificBenchOrder>(global::Avro.Schema.Parse(writerJson), SpecificBenchOrder._SCHEMA);
        _confluentSpecific = new AvroDeserializer<SpecificBenchOrder>(_client);
        foreach (SpecificBenchOrder specific in new[] { DecodeApacheAvroSpecificSameSchema(), DecodeApacheAvroSpecific(), DecodeConfluentAvroDeserializerSpecific() })
        {
            if (specific.Customer != order.Customer || specific.Total != order.Total || specific.PlacedAt != order.PlacedAt.UtcDateTime
                || specific.ShipTo.City != order.ShipTo.City || specific.Lines.Count != 3 || specific.Lines[2].Price != order.Lines[2].Price
                || specific.Status != Specific.BenchStatus.Paid)
            {
                throw new InvalidOperationException("specific reader setup is wrong");
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.Dispose();
        _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true)]
    public BenchOrder DecodeSameSchema() => AvroSerializer.Deserialize<BenchOrder>(_sameSchemaBytes);

    [Benchmark]
    public BenchOrder DecodeResolving() => _resolution.Decode(_writerBytes);

    [Benchmark]
    public BenchOrder DecodeResolvingGenerated() => _generated.Decode(_writerBytes);

    [Benchmark]
    public BenchOrderEvolved DecodeEvolvedSameSchema() => AvroSerializer.Deserialize<BenchOrderEvolved>(_evolvedSameSchemaBytes);

    [Benchmark]
    public BenchOrderEvolved DecodeEvolvedResolving() => _evolvedResolution.Decode(_writerBytes);

    [Benchmark]
    public BenchOrderEvolved DecodeEvolvedResolvingGenerated() => _evolvedGenerated.Decode(_writerBytes);

    [Benchmark]
    public GenericRecord DecodeApacheAvroGeneric() =>
        _apacheReader.Read(null!, new BinaryDecoder(new MemoryStream(_writerBytes, writable: false)));

    [Benchmark]
    public GenericRecord DecodeConfluentAvroDeserializer() =>
        _confluent.DeserializeAsync(_framedWriterBytes, isNull: false, _context).GetAwaiter().GetResult();

    [Benchmark]
    public SpecificBenchOrder DecodeApacheAvroSpecificSameSchema() =>
        _apacheSpecificSameSchema.Read(null!, new BinaryDecoder(new MemoryStream(_sameSchemaBytes, writable: false)));

    [Benchmark]
    public SpecificBenchOrder DecodeApacheAvroSpecific() =>
        _apacheSpecific.Read(null!, new BinaryDecoder(new MemoryStream(_writerBytes, writable: false)));

    [Benchmark]
    public SpecificBenchOrder DecodeConfluentAvroDeserializerSpecific() =>
        _confluentSpecific.DeserializeAsync(_framedWriterBytes, isNull: false, _context).GetAwaiter().GetResult();
}
