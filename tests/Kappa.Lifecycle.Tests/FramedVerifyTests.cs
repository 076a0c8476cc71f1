using System.Text;
using Kappa.Avro;
using Kappa.Avro.Registry;
using Kappa.Lifecycle.Tests.Infrastructure;
using Kappa.Lifecycle.Tests.Model;
using Kappa.Log;
using Kappa.Log.Registry;
using Kappa.Naming;
using Kappa.Processing;
using Kappa.Transport;

namespace Kappa.Lifecycle.Tests;

/// <summary>
/// Verify of processors that write Confluent-framed Avro, on the embedded log with its embedded schema registry: the
/// determinism check gets the registry, and the diff against the serving version compares what the values mean, not
/// the frames (a new version writes under a new schema id).
/// </summary>
public sealed class FramedVerifyTests
{
    private const int Customers = 50;

    [Fact]
    public void EqualValuesUnderANewSchemaAreEqualAndAnUnknownSchemaIdIsReportedAsUnreadable()
    {
        using var transport = TestTransport.Create(TransportKind.EmbeddedLog);
        EmbeddedSchemaRegistry registry = Registry(transport);
        Sales.Produce(transport.Transport, 0, 120, Customers);
        RunToEnd.Run(new FramedAmountsV1(), transport.Transport, registry);
        RunToEnd.Run(new FramedAmountsV2(), transport.Transport, registry);
        var lifecycle = new KappaLifecycle(transport.Transport, schemaRegistry: registry);
        Serve(lifecycle, FramedAmountsV1.KappaDescriptor);

        // The frames differ (v2 registered its own schema), so the bytes of every value differ.
        int v1Id = SchemaIds(transport.Transport, 1).Single();
        int v2Id = SchemaIds(transport.Transport, 2).Single();
        Assert.NotEqual(v1Id, v2Id);
        Assert.Equal(Customers, OutputComparer.Compare(transport.Transport, FramedAmountsV1.Sink, 1, 2).Changed);

        VerificationResult result = lifecycle.Verify(() => new FramedAmountsV2());

        Assert.True(result.Deterministic);
        Assert.Equal(120, result.Records);
        Assert.Equal(1, result.ComparedWith);
        OutputDiff diff = Assert.Single(result.Diffs);
        Assert.Equal(OutputComparison.Values, diff.Comparison);
        Assert.Equal((Customers, 0L, 0L, 0L, 0L), (diff.Equal, diff.Changed, diff.OnlyInNew, diff.OnlyInOld, diff.Unreadable));
        Assert.Empty(diff.ChangedValues);
        Assert.True(lifecycle.Registry.Read().Find(FramedAmountsV1.Name)!.Find(2)!.Verified);

        // A value framed with a schema id the registry does not know: reported with the reason, neither equal nor changed.
        byte[] body = AvroSerializer.SerializeToArray(new FramedAmountWithNote(1, "c001"));
        Produce(transport.Transport, KappaNames.OutputTopic(FramedAmountsV1.Sink, 2), "c001", [0, 0, 0, 0x10, 0x92, .. body]);

        OutputDiff again = Assert.Single(lifecycle.Verify(() => new FramedAmountsV2()).Diffs);

        Assert.Equal((Customers - 1L, 0L, 1L), (again.Equal, again.Changed, again.Unreadable));
        Assert.Equal(["c001 (v2: schema id 4242 is not in the schema registry)"], again.UnreadableSamples);
    }

    [Fact]
    public void OtherValuesAreChangedAndTheSamplesShowBothValues()
    {
        using var transport = TestTransport.Create(TransportKind.EmbeddedLog);
        EmbeddedSchemaRegistry registry = Registry(transport);
        Sales.Produce(transport.Transport, 0, 120, Customers);
        RunToEnd.Run(new FramedAmountsV1(), transport.Transport, registry);
        RunToEnd.Run(new FramedAmountsV3(), transport.Transport, registry);
        var lifecycle = new KappaLifecycle(transport.Transport, schemaRegistry: registry);
        Serve(lifecycle, FramedAmountsV1.KappaDescriptor);

        VerificationResult result = lifecycle.Verify(() => new FramedAmountsV3());

        Assert.True(result.Deterministic);
        OutputDiff diff = Assert.Single(result.Diffs);
        Assert.Equal(OutputComparison.Values, diff.Comparison);
        Assert.Equal((0L, (long)Customers, 0L), (diff.Equal, diff.Changed, diff.Unreadable));
        Assert.Equal(["c000", "c001", "c002", "c003", "c004"], diff.ChangedSamples);

        // The last sale of c000 is sale 100 (sales 0, 50 and 100 are c000's); v3 writes it in cents, with a note.
        Assert.Equal(5, diff.ChangedValues.Count);
        Assert.Equal(new ChangedValue("c000", """{"Amount":100,"Customer":"c000"}""", """{"Amount":10000,"Customer":"c000","Note":"cents"}"""), diff.ChangedValues[0]);
        Assert.Equal(new ChangedValue("c004", """{"Amount":104,"Customer":"c004"}""", """{"Amount":10400,"Customer":"c004","Note":"cents"}"""), diff.ChangedValues[4]);
    }

    [Fact]
    public void AFramedProcessorWithoutASchemaRegistryIsAClearErrorAndNothingIsRecorded()
    {
        using var transport = TestTransport.Create(TransportKind.EmbeddedLog);
        Sales.Produce(transport.Transport, 0, 10, Customers);
        var lifecycle = new KappaLifecycle(transport.Transport);

        var error = Assert.Throws<InvalidOperationException>(() => lifecycle.Verify(() => new FramedAmountsV2()));

        Assert.Contains("Verify of framed-amounts.v2 needs a schema registry", error.Message, StringComparison.Ordinal);
        Assert.Contains("output 'framed-customer-amounts.v2'", error.Message, StringComparison.Ordinal);
        Assert.Contains("AddSchemaRegistry", error.Message, StringComparison.Ordinal);
        Assert.Contains("ProcessorOptions.SchemaRegistry", error.Message, StringComparison.Ordinal);
        Assert.Null(lifecycle.Registry.Read().Find(FramedAmountsV1.Name));
    }

    [Fact]
    public void DiffingFramedOutputsWithoutASchemaRegistryIsAClearError()
    {
        using var transport = TestTransport.Create(TransportKind.EmbeddedLog);
        EmbeddedSchemaRegistry registry = Registry(transport);
        Sales.Produce(transport.Transport, 0, 10, Customers);
        var lifecycle = new KappaLifecycle(transport.Transport);
        Serve(lifecycle, FramedAmountsV1.KappaDescriptor);
        DeterminismReport report = DeterminismCheck.Run(() => new FramedAmountsV2(), transport.Transport, schemaRegistry: registry);
        lifecycle.Deploy(FramedAmountsV2.KappaDescriptor);

        var error = Assert.Throws<InvalidOperationException>(() => lifecycle.RecordVerification(FramedAmountsV2.KappaDescriptor, report));

        Assert.Contains("sink 'framed-customer-amounts' are Confluent-framed in v1 and v2", error.Message, StringComparison.Ordinal);
        Assert.Contains("needs the schema registry", error.Message, StringComparison.Ordinal);
        Assert.Null(lifecycle.Registry.Read().Find(FramedAmountsV1.Name)!.Find(2)!.Verification);
    }

    [Fact]
    public void WhenOnlyOneVersionFramesASinkTheAvroBodiesAreCompared()
    {
        using var transport = TestTransport.Create(TransportKind.EmbeddedLog);
        const string Sink = "amounts";
        Produce(transport.Transport, "amounts.v1", "ann", AvroSerializer.SerializeToArray(new FramedAmount("ann", 5)));
        Produce(transport.Transport, "amounts.v1", "bob", AvroSerializer.SerializeToArray(new FramedAmount("bob", 6)));
        Produce(transport.Transport, "amounts.v2", "ann", [0, 0, 0, 0, 7, .. AvroSerializer.SerializeToArray(new FramedAmount("ann", 5))]);
        Produce(transport.Transport, "amounts.v2", "bob", [0, 0, 0, 0, 7, .. AvroSerializer.SerializeToArray(new FramedAmount("bob", 60))]);
        VersionArtifacts plain = new() { Processor = "p", Version = 1, InputTopics = ["in"], Sinks = [Sink] };
        VersionArtifacts framed = plain with { Version = 2, FramedSinks = [Sink] };

        // No registry needed: the frame is set aside, not decoded.
        OutputDiff diff = OutputComparer.Compare(transport.Transport, Sink, 1, 2, OutputValueReaders.For(Sink, plain, framed, registry: null));

        Assert.Equal(OutputComparison.Bodies, diff.Comparison);
        Assert.Equal((1L, 1L, 0L), (diff.Equal, diff.Changed, diff.Unreadable));
        Assert.Equal(["bob"], diff.ChangedSamples);
        Assert.Empty(diff.ChangedValues);
    }

    internal static EmbeddedSchemaRegistry Registry(TestTransport transport) =>
        new(((EmbeddedLogTransport)transport.Transport).Log);

    /// <summary>Records <paramref name="descriptor"/>'s version as serving in the registry alone (these tests compare output topics; they run no sink writers, so there are no views to switch).</summary>
    internal static void Serve(KappaLifecycle lifecycle, ProcessorDescriptor descriptor)
    {
        lifecycle.Deploy(descriptor);
        ProcessorDeployment deployment = lifecycle.Registry.Read().Find(descriptor.Name)!;
        lifecycle.Registry.Propose(descriptor.Name, deployment.Sequence, "promote", [new VersionChange(descriptor.Version, VersionState.Serving)], "test: serves");
    }

    private static void Produce(IKappaTransport transport, string topic, string key, byte[] value)
    {
        using IKappaProducer producer = transport.CreateProducer(new ProducerSettings());
        producer.Produce(new OutgoingRecord(topic, Encoding.ASCII.GetBytes(key), value));
        producer.Flush();
    }

    /// <summary>The distinct schema ids in the frames of version <paramref name="version"/>'s output topic.</summary>
    private static HashSet<int> SchemaIds(IKappaTransport transport, int version)
    {
        string topic = KappaNames.OutputTopic(FramedAmountsV1.Sink, version);
        var ids = new HashSet<int>();
        int partitions = transport.GetPartitionCount(topic)!.Value;
        long total = Enumerable.Range(0, partitions).Sum(p => transport.GetWatermarks(new TopicPartition(topic, p)).High);
        using IKappaConsumer consumer = transport.CreateConsumer(new ConsumerSettings { GroupId = "test.ids" });
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, 0)).ToArray());
        for (long read = 0; read < total && consumer.TryConsume(TimeSpan.FromSeconds(10), out ConsumedRecord record); read++)
        {
            ids.Add(ConfluentWireFormat.ReadHeader(record.Value, out _));
        }

        return ids;
    }
}
