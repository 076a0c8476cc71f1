using System.Text;
using Avro.Generic;
using Avro.IO;
using Kappa.Avro;
using Kappa.Avro.Registry;
using Kappa.Hosting;
using Kappa.Log;
using Kappa.Log.Registry;
using Kappa.Processing;
using Kappa.Runtime.Tests.Avro.Resolution;
using Kappa.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kappa.Runtime.Tests.Processing;

/// <summary>
/// A generated processor with a Confluent-framed input and output (<see cref="FramedAccounts"/>): writer schemas by id,
/// resolution to the handler's type, dead letters for bad framing, unknown ids and unresolvable schemas, outputs
/// registered and framed; on the in-memory transport and on the embedded log with its embedded registry.
/// </summary>
public sealed class FramedProcessorTests
{
    private const string Input = "accounts";
    private const string Output = "account-summaries.v1";
    private const string DeadLetters = "framed-accounts.v1.dlq";

    /// <summary>An Account schema Kappa's Account cannot read: Id is a string (no promotion from string to long) and the reader's other fields have no defaults.</summary>
    private const string Unresolvable = """{"type":"record","name":"Account","namespace":"kappa.res.typed","fields":[{"name":"Id","type":"string"}]}""";

    [Fact]
    public async Task Records_of_every_registered_version_are_read_and_outputs_are_framed_and_registered()
    {
        var registry = new InMemorySchemaRegistry();
        int v1 = await registry.RegisterAsync("accounts-value", SchemaRegistryHttpTests.V1);
        int v2 = await registry.RegisterAsync("accounts-value", SchemaRegistryHttpTests.V2);
        var transport = new InMemoryTransport();
        transport.CreateTopic(Input, 1);
        transport.Append(Input, 0, Key("ann"), Framed(v1, SchemaRegistryHttpTests.V1, "ann", 1, null), 10);
        transport.Append(Input, 0, Key("bob"), Framed(v2, SchemaRegistryHttpTests.V2, "bob", 2, "hi"), 20);

        ProcessorRunner.Create(new FramedAccounts(), transport, Options(registry)).RunUntilIdle(transport);

        IReadOnlyList<RegisteredSchema> outputVersions = await registry.GetVersionsAsync(Output + "-value");
        RegisteredSchema outputSchema = Assert.Single(outputVersions);
        Assert.Equal(AccountSummary.AvroSchemaJson, outputSchema.Schema);
        var outputs = transport.Read(Output);
        Assert.Equal(2, outputs.Count);
        Assert.All(outputs, r => Assert.Equal(outputSchema.Id, ConfluentWireFormat.ReadHeader(r.Value, out _)));
        var decoder = new ConfluentAvroDecoder<AccountSummary>(registry);
        Assert.Equal([new AccountSummary(1, "ann", null), new AccountSummary(2, "bob", "hi")], outputs.Select(r => decoder.Decode(r.Value)));
        Assert.Equal(["ann", "bob"], outputs.Select(r => Encoding.UTF8.GetString(r.Key!)));
        Assert.Equal([10L, 20L], outputs.Select(r => r.TimestampMs));
        Assert.Empty(transport.Read(DeadLetters));
    }

    [Fact]
    public async Task Bad_framing_unknown_schema_ids_and_unresolvable_schemas_go_to_the_dead_letter_topic_with_their_reason()
    {
        var registry = new CountingRegistry(new InMemorySchemaRegistry());
        int v1 = await registry.RegisterAsync("accounts-value", SchemaRegistryHttpTests.V1);
        int other = await registry.RegisterAsync("legacy-accounts-value", Unresolvable);
        var transport = new InMemoryTransport();
        transport.CreateTopic(Input, 1);
        byte[] good = Framed(v1, SchemaRegistryHttpTests.V1, "ann", 1, null);
        byte[] unframed = good[ConfluentWireFormat.HeaderLength..]; // the bare Avro body: starts with the name's length, not magic byte 0
        byte[] tooShort = [0, 0, 0];
        byte[] unknownId = [.. Header(4242), .. unframed];
        byte[] unresolvable = [.. Header(other), 0x02, (byte)'x']; // Id = "x"
        transport.Append(Input, 0, Key("unframed"), unframed, 1);
        transport.Append(Input, 0, Key("short"), tooShort, 2);
        transport.Append(Input, 0, Key("unknown"), unknownId, 3);
        byte[] truncated = good[..(ConfluentWireFormat.HeaderLength + 2)]; // the header of v1, then a cut body
        transport.Append(Input, 0, Key("unresolvable"), unresolvable, 4);
        transport.Append(Input, 0, Key("truncated"), truncated, 5);
        transport.Append(Input, 0, Key("ann"), good, 6);
        transport.Append(Input, 0, Key("unresolvable-again"), unresolvable, 7);
        transport.Append(Input, 0, Key("unknown-again"), unknownId, 8);

        ProcessorRunner.Create(new FramedAccounts(), transport, Options(registry)).RunUntilIdle(transport);

        // v1 and the unresolvable id are looked up once each; the unknown id each time (it may be registered later).
        Assert.Equal(new Dictionary<int, int> { [v1] = 1, [other] = 1, [4242] = 2 }, registry.Lookups);

        var decoder = new ConfluentAvroDecoder<AccountSummary>(registry);
        Assert.Equal(["ann"], transport.Read(Output).Select(r => decoder.Decode(r.Value).Name));
        Assert.Equal(8, transport.CommittedOffset("framed-accounts.v1", Input, 0));
        var dead = transport.Read(DeadLetters).ToDictionary(r => Encoding.UTF8.GetString(r.Key!));
        Assert.Equal(7, dead.Count);
        AssertDeadLetter(dead["unresolvable-again"], unresolvable, DeadLetterHeaders.ReasonUnresolvableSchema, $"Schema id {other} cannot be read as Account");
        AssertDeadLetter(dead["unknown-again"], unknownId, DeadLetterHeaders.ReasonUnknownSchemaId, "Schema id 4242 is not in the schema registry");
        AssertDeadLetter(dead["unframed"], unframed, DeadLetterHeaders.ReasonBadFraming, "magic byte 0");
        AssertDeadLetter(dead["short"], tooShort, DeadLetterHeaders.ReasonBadFraming, "at least 5 bytes");
        AssertDeadLetter(dead["unknown"], unknownId, DeadLetterHeaders.ReasonUnknownSchemaId, "Schema id 4242 is not in the schema registry");
        AssertDeadLetter(dead["unresolvable"], unresolvable, DeadLetterHeaders.ReasonUnresolvableSchema, $"Schema id {other} cannot be read as Account");
        AssertDeadLetter(dead["truncated"], truncated, DeadLetterHeaders.ReasonUndecodable, $"Schema id {v1}: ");
    }

    [Fact]
    public async Task A_registry_that_does_not_answer_stops_the_processor_without_dead_lettering_the_record()
    {
        var registry = new InMemorySchemaRegistry();
        int v1 = await registry.RegisterAsync("accounts-value", SchemaRegistryHttpTests.V1);
        var failing = new UnreachableRegistry(registry);
        var transport = new InMemoryTransport();
        transport.CreateTopic(Input, 1);
        transport.Append(Input, 0, Key("ann"), Framed(v1, SchemaRegistryHttpTests.V1, "ann", 1, null), 1);
        ProcessorOptions options = Options(failing);
        options.OnHandlerError = HandlerErrorPolicy.DeadLetter; // even so: the registry's failure is not the record's

        var error = Assert.Throws<ProcessorFaultedException>(() => ProcessorRunner.Create(new FramedAccounts(), transport, options).RunUntilIdle(transport));

        SchemaRegistryUnavailableException cause = Assert.IsType<SchemaRegistryUnavailableException>(error.InnerException);
        Assert.Equal(v1, cause.SchemaId);
        Assert.IsType<HttpRequestException>(cause.InnerException);
        Assert.Equal((Input, 0, 0L), (error.Topic, error.Partition!.Value, error.Offset!.Value));
        Assert.Contains($"needs schema id {v1}, and the schema registry did not answer", error.Message, StringComparison.Ordinal);
        Assert.Empty(transport.Read(DeadLetters));
        Assert.Null(transport.CommittedOffset("framed-accounts.v1", Input, 0));
    }

    [Fact]
    public void A_framed_processor_without_a_schema_registry_refuses_to_start_naming_its_framed_topics()
    {
        var transport = new InMemoryTransport();
        transport.CreateTopic(Input, 1);

        var error = Assert.Throws<InvalidOperationException>(() => ProcessorRunner.Create(new FramedAccounts(), transport, ProcessorTestKit.FastOptions()));

        Assert.Equal(
            "Processor framed-accounts.v1 reads or writes Confluent-framed Avro (ValueFormat.ConfluentAvro: input 'accounts', output 'account-summaries.v1') but no schema registry is configured. Set ProcessorOptions.SchemaRegistry (or, under hosting, call KappaBuilder.AddSchemaRegistry), e.g. to a ConfluentSchemaRegistry (Kappa.Kafka) or an EmbeddedSchemaRegistry (Kappa.EmbeddedLog).",
            error.Message);
        Assert.Equal([ValueFormat.ConfluentAvro], FramedAccounts.KappaDescriptor.InputFormats);
        Assert.Equal(ValueFormat.ConfluentAvro, FramedAccounts.KappaDescriptor.OutputFormat("account-summaries"));
        Assert.Equal(ValueFormat.Avro, EnrichOrders.KappaDescriptor.InputFormat("orders"));
        Assert.False(EnrichOrders.KappaDescriptor.NeedsSchemaRegistry);
    }

    [Fact]
    public void A_framed_dispatcher_used_without_a_registry_and_mismatched_descriptor_formats_are_clear_errors()
    {
        using IProcessorDispatcher dispatcher = FramedAccounts.CreateKappaDispatcher(new FramedAccounts());
        byte[] value = [0, 0, 0, 0, 1, 0];
        var unattached = Assert.Throws<InvalidOperationException>(() =>
        {
            var record = new ConsumedRecord(Input, 0, 0, 1, [], true, value, false, RecordHeaders.Empty);
            dispatcher.Dispatch(in record, new NullProducer());
        });
        Assert.Equal("Processor framed-accounts.v1: topic 'accounts' is Confluent-framed but the runner did not attach a schema registry (IProcessorDispatcher.AttachSchemaRegistryAsync).", unattached.Message);

        var mismatch = Assert.Throws<ArgumentException>(() => new ProcessorDescriptor("p", 1, ["a", "b"], [], inputFormats: [ValueFormat.ConfluentAvro]));
        Assert.StartsWith("Processor 'p' has 2 input name(s) but 1 input format(s)", mismatch.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Under_hosting_processors_take_the_containers_schema_registry_and_refuse_to_start_without_one()
    {
        var registry = new InMemorySchemaRegistry();
        int v2 = await registry.RegisterAsync("accounts-value", SchemaRegistryHttpTests.V2);
        var transport = new InMemoryTransport();
        transport.CreateTopic(Input, 1);
        transport.Append(Input, 0, Key("bob"), Framed(v2, SchemaRegistryHttpTests.V2, "bob", 2, "hi"), 20);

        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddKappa(_ => transport)
            .AddSchemaRegistry(_ => registry)
            .AddFramedAccounts(options => options.PollTimeout = TimeSpan.FromMilliseconds(10));
        using (IHost host = builder.Build())
        {
            await host.StartAsync();
            ProcessorTestKit.WaitUntil(() => transport.CommittedOffset("framed-accounts.v1", Input, 0) == 1, "the framed record is committed");
            await host.StopAsync();
        }

        Assert.Equal("bob", new ConfluentAvroDecoder<AccountSummary>(registry).Decode(Assert.Single(transport.Read(Output)).Value).Name);

        var services = new ServiceCollection();
        services.AddKappa(_ => new InMemoryTransport()).AddFramedAccounts();
        using ServiceProvider provider = services.BuildServiceProvider();
        var error = Assert.Throws<InvalidOperationException>(() => provider.GetServices<IHostedService>().ToList());
        Assert.Contains("no schema registry is configured", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_output_schema_the_subject_rejects_stops_the_processor_at_start_before_reading()
    {
        var registry = new InMemorySchemaRegistry();
        // An earlier, incompatible schema of the output subject: Id is a string, so AccountSummary (Id long) cannot read it.
        await registry.RegisterAsync(Output + "-value", """{"type":"record","name":"AccountSummary","namespace":"kappa.framed","fields":[{"name":"Id","type":"string"}]}""");
        var transport = new InMemoryTransport();
        transport.CreateTopic(Input, 1);
        transport.Append(Input, 0, Key("ann"), [0, 0, 0, 0, 1, 0], 1);

        var error = Assert.Throws<ProcessorFaultedException>(() => ProcessorRunner.Create(new FramedAccounts(), transport, Options(registry)).RunUntilIdle(transport));

        Assert.IsType<SchemaIncompatibleException>(error.InnerException);
        Assert.Contains("account-summaries.v1-value", error.Message, StringComparison.Ordinal);
        Assert.Null(transport.CommittedOffset("framed-accounts.v1", Input, 0));
        Assert.Empty(transport.Read(Output));
    }

    [Fact]
    public async Task On_the_embedded_log_with_its_embedded_registry()
    {
        string dir = Path.Combine(Path.GetTempPath(), "kappa-framed-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var transport = new EmbeddedLogTransport(new EmbeddedLogOptions { Directory = dir, FsyncPolicy = FsyncPolicy.Never });
            var registry = new EmbeddedSchemaRegistry(transport.Log);
            int v1 = await registry.RegisterAsync("accounts-value", SchemaRegistryHttpTests.V1);
            int v2 = await registry.RegisterAsync("accounts-value", SchemaRegistryHttpTests.V2);
            transport.EnsureTopics([new TopicSpec(Input, 2)]);
            using (IKappaProducer producer = transport.CreateProducer(new ProducerSettings()))
            {
                for (int i = 0; i < 10; i++)
                {
                    byte[] value = i % 2 == 0 ? Framed(v1, SchemaRegistryHttpTests.V1, $"a{i}", i, null) : Framed(v2, SchemaRegistryHttpTests.V2, $"a{i}", i, $"n{i}");
                    producer.Produce(new OutgoingRecord(Input, Key($"a{i}"), value) { TimestampMs = 1_000 + i });
                }

                producer.Produce(new OutgoingRecord(Input, Key("bad"), [1, 2, 3, 4, 5, 6]) { Partition = 0, TimestampMs = 2_000 });
                producer.Flush();
            }

            var runner = ProcessorRunner.Create(new FramedAccounts(), transport, Options(registry));
            ProcessorLag.RunUntilCaughtUp(runner, transport, TimeSpan.FromMinutes(1));

            var decoder = new ConfluentAvroDecoder<AccountSummary>(registry);
            var summaries = ReadAll(transport, Output, 2).Select(v => decoder.Decode(v)).OrderBy(s => s.Id).ToList();
            Assert.Equal(Enumerable.Range(0, 10).Select(i => new AccountSummary(i, $"a{i}", i % 2 == 0 ? null : $"n{i}")), summaries);
            byte[] dead = Assert.Single(ReadAll(transport, DeadLetters, 2));
            Assert.Equal([1, 2, 3, 4, 5, 6], dead);

            // The output schema went to the log's _schemas topic: a registry reopened over the log knows it.
            var reopened = new EmbeddedSchemaRegistry(transport.Log);
            Assert.Equal(AccountSummary.AvroSchemaJson, Assert.Single(await reopened.GetVersionsAsync(Output + "-value")).Schema);
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    internal static ProcessorOptions Options(ISchemaRegistry registry)
    {
        ProcessorOptions options = ProcessorTestKit.FastOptions();
        options.SchemaRegistry = registry;
        return options;
    }

    private static byte[] Key(string id) => Encoding.UTF8.GetBytes(id);

    private static byte[] Header(int id)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        ConfluentWireFormat.WriteHeader(id, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A framed record written by Apache.Avro's generic writer with <paramref name="schemaJson"/> (the writer schema of <paramref name="id"/>).</summary>
    private static byte[] Framed(int id, string schemaJson, string name, int accountId, string? note)
    {
        GenericRecord record = SchemaRegistryHttpTests.Record(schemaJson, name, accountId, note);
        using var stream = new MemoryStream();
        stream.Write(Header(id));
        new GenericDatumWriter<GenericRecord>(record.Schema).Write(record, new BinaryEncoder(stream));
        return stream.ToArray();
    }

    private static void AssertDeadLetter(Kappa.Testing.InMemoryRecord record, byte[] value, string reason, string error)
    {
        Assert.Equal(value, record.Value);
        var headers = new RecordHeaders(record.Headers);
        Assert.Equal(reason, headers.GetLastString(DeadLetterHeaders.Reason));
        Assert.Equal(typeof(FramedAvroException).FullName, headers.GetLastString(DeadLetterHeaders.ExceptionType));
        Assert.Contains(error, headers.GetLastString(DeadLetterHeaders.Error), StringComparison.Ordinal);
        Assert.Equal(Input, headers.GetLastString(DeadLetterHeaders.Topic));
    }

    private static List<byte[]> ReadAll(IKappaTransport transport, string topic, int partitions)
    {
        var values = new List<byte[]>();
        using IKappaConsumer consumer = transport.CreateConsumer(new ConsumerSettings { GroupId = "reader-" + Guid.NewGuid().ToString("N") });
        var assignment = new List<TopicPartitionOffset>();
        long expected = 0;
        for (int p = 0; p < partitions; p++)
        {
            long high = transport.GetWatermarks(new TopicPartition(topic, p)).High;
            expected += high;
            assignment.Add(new TopicPartitionOffset(topic, p, 0));
        }

        consumer.Assign(assignment);
        while (values.Count < expected && consumer.TryConsume(TimeSpan.FromSeconds(5), out ConsumedRecord record))
        {
            values.Add(record.Value.ToArray());
        }

        Assert.Equal(expected, values.Count);
        return values;
    }

    private sealed class NullProducer : IKappaProducer
    {
        public void Produce(in OutgoingRecord record)
        {
        }

        public void Flush(CancellationToken cancellationToken = default)
        {
        }

        public void Dispose()
        {
        }
    }

    /// <summary>Registers (the output schema at start works) but cannot look schemas up, like a registry that went away.</summary>
    private sealed class UnreachableRegistry(ISchemaRegistry inner) : ISchemaRegistry
    {
        public ValueTask<string?> GetSchemaAsync(int id, CancellationToken cancellationToken = default) =>
            throw new HttpRequestException("Connection refused (registry:8081)");

        public ValueTask<int> RegisterAsync(string subject, string schema, CancellationToken cancellationToken = default) => inner.RegisterAsync(subject, schema, cancellationToken);

        public ValueTask<IReadOnlyList<RegisteredSchema>> GetVersionsAsync(string subject, CancellationToken cancellationToken = default) => inner.GetVersionsAsync(subject, cancellationToken);
    }

    /// <summary>Counts schema lookups per id.</summary>
    private sealed class CountingRegistry(ISchemaRegistry inner) : ISchemaRegistry
    {
        public Dictionary<int, int> Lookups { get; } = new();

        public ValueTask<string?> GetSchemaAsync(int id, CancellationToken cancellationToken = default)
        {
            Lookups[id] = Lookups.GetValueOrDefault(id) + 1;
            return inner.GetSchemaAsync(id, cancellationToken);
        }

        public ValueTask<int> RegisterAsync(string subject, string schema, CancellationToken cancellationToken = default) => inner.RegisterAsync(subject, schema, cancellationToken);

        public ValueTask<IReadOnlyList<RegisteredSchema>> GetVersionsAsync(string subject, CancellationToken cancellationToken = default) => inner.GetVersionsAsync(subject, cancellationToken);
    }
}
