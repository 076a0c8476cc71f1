using Kappa.Avro;
using Kappa.Avro.Registry;
using Kappa.Processing;
using Kappa.Transport;

namespace Kappa.Runtime.Tests.Processing;

/// <summary>
/// The framed path of a generated dispatcher after warm-up: no registry call and no allocation per record (struct
/// records), for a writer schema equal to the reader's and for an older one that needs resolution.
/// </summary>
public sealed class FramedAllocationTests
{
    /// <summary>An older OrderUnit: sign was an int (promoted to long) and a note field the reader does not have.</summary>
    private const string OlderUnit = """{"type":"record","name":"OrderUnit","fields":[{"name":"sequence","type":"long"},{"name":"note","type":"string"},{"name":"sign","type":"int"}]}""";

    [Fact]
    public async Task Framed_dispatch_calls_the_registry_once_per_schema_id_and_allocates_nothing_per_record()
    {
        var registry = new CountingRegistry(new InMemorySchemaRegistry(global::Kappa.Avro.Schemas.AvroCompatibilityMode.None));
        int older = await registry.RegisterAsync("framed-units-value", OlderUnit);
        int current = await registry.RegisterAsync("framed-units-value", OrderUnit.AvroSchemaJson);
        using IProcessorDispatcher dispatcher = FramedNegateUnits.CreateKappaDispatcher(new FramedNegateUnits());
        await dispatcher.AttachSchemaRegistryAsync(registry);
        int outputId = (await registry.GetVersionsAsync("framed-negated-units.v1-value")).Single().Id;
        var producer = new FramedUnitProducer();
        byte[] olderValue = [0, .. BigEndian(older), 2, 2, (byte)'n', 14]; // sequence 1, note "n", sign 7
        byte[] currentValue = [0, .. BigEndian(current), 2, 14];            // sequence 1, sign 7
        byte[] key = [1, 2, 3];

        int Dispatch(int times)
        {
            int outputs = 0;
            for (int i = 0; i < times; i++)
            {
                var record = new ConsumedRecord("framed-units", 0, i, 1_000 + i, key, false, i % 2 == 0 ? olderValue : currentValue, false, RecordHeaders.Empty);
                outputs += dispatcher.Dispatch(in record, producer);
            }

            return outputs;
        }

        Dispatch(1_000); // warm up: JIT, both schema ids fetched and planned, pooled buffer growth
        Assert.Equal(2, registry.SchemaLookups);

        int produced = 0;
        AllocationMeasure.AssertNothingPerOperation(10_000, () => produced = Dispatch(10_000), "Dispatching framed struct records");
        Assert.Equal(10_000, produced);
        Assert.Equal(2, registry.SchemaLookups);
        Assert.Equal(outputId, producer.LastSchemaId);
        Assert.Equal(-7, producer.LastSign);
        Assert.Equal("framed-negated-units.v1", producer.LastTopic);
    }

    private static byte[] BigEndian(int value)
    {
        byte[] bytes = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        return bytes;
    }

    /// <summary>Counts schema lookups by id.</summary>
    private sealed class CountingRegistry(ISchemaRegistry inner) : ISchemaRegistry
    {
        public int SchemaLookups { get; private set; }

        public ValueTask<string?> GetSchemaAsync(int id, CancellationToken cancellationToken = default)
        {
            SchemaLookups++;
            return inner.GetSchemaAsync(id, cancellationToken);
        }

        public ValueTask<int> RegisterAsync(string subject, string schema, CancellationToken cancellationToken = default) => inner.RegisterAsync(subject, schema, cancellationToken);

        public ValueTask<IReadOnlyList<RegisteredSchema>> GetVersionsAsync(string subject, CancellationToken cancellationToken = default) => inner.GetVersionsAsync(subject, cancellationToken);
    }

    /// <summary>Checks each output's framing and keeps the last values (allocation-free).</summary>
    private sealed class FramedUnitProducer : IKappaProducer
    {
        public int LastSchemaId { get; private set; }

        public long LastSign { get; private set; }

        public string? LastTopic { get; private set; }

        public void Produce(in OutgoingRecord record)
        {
            LastTopic = record.Topic;
            LastSchemaId = ConfluentWireFormat.ReadHeader(record.Value, out ReadOnlySpan<byte> body);
            LastSign = AvroSerializer.Deserialize<OrderUnit>(body).Sign;
        }

        public void Flush(CancellationToken cancellationToken = default)
        {
        }

        public void Dispose()
        {
        }
    }
}
