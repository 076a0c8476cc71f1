using System.Buffers;
using Kappa.Avro;
using Kappa.Avro.Registry;
using Kappa.Avro.Schemas;
using Kappa.Processing;

namespace Kappa.Runtime.Tests.Avro.Resolution;

public sealed class ConfluentFramingTests
{
    private const string WriterV1 = """
        {"type":"record","name":"Account","namespace":"kappa.res.typed","fields":[
          {"name":"Name","type":"string"},{"name":"Id","type":"int"},{"name":"Balance","type":"float"},
          {"name":"Tier","type":{"type":"enum","name":"Tier","symbols":["Gold","Bronze"]}},
          {"name":"Scores","type":{"type":"array","items":"int"}},{"name":"Limits","type":{"type":"map","values":"int"}},
          {"name":"Contact","type":{"type":"record","name":"Contact","fields":[{"name":"Email","type":"string"},{"name":"Phone","type":"bytes"}]}}]}
        """;

    private const string DatumV1 = """{"Name":"bo","Id":3,"Balance":0.5,"Tier":"Gold","Scores":[],"Limits":{},"Contact":{"Email":"e","Phone":"p"}}""";

    private static byte[] Frame(int id, byte[] body)
    {
        var output = new ArrayBufferWriter<byte>();
        ConfluentWireFormat.WriteHeader(id, output);
        output.Write(body);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Counts registry calls (the decoder must not call per record after warm-up).</summary>
    private sealed class CountingRegistry(ISchemaRegistry inner) : ISchemaRegistry
    {
        public int Lookups { get; private set; }

        public ValueTask<string?> GetSchemaAsync(int id, CancellationToken cancellationToken = default)
        {
            Lookups++;
            return inner.GetSchemaAsync(id, cancellationToken);
        }

        public ValueTask<int> RegisterAsync(string subject, string schema, CancellationToken cancellationToken = default) => inner.RegisterAsync(subject, schema, cancellationToken);

        public ValueTask<IReadOnlyList<RegisteredSchema>> GetVersionsAsync(string subject, CancellationToken cancellationToken = default) => inner.GetVersionsAsync(subject, cancellationToken);
    }

    [Fact]
    public async Task Decoder_reads_old_and_current_schemas_by_id_and_calls_the_registry_once_per_id()
    {
        var registry = new InMemorySchemaRegistry(AvroCompatibilityMode.None);
        int v1 = await registry.RegisterAsync("accounts-value", WriterV1);
        int v2 = await registry.RegisterAsync("accounts-value", Account.AvroSchemaJson);
        Assert.NotEqual(v1, v2);
        var counting = new CountingRegistry(registry);
        var decoder = new ConfluentAvroDecoder<Account>(counting);
        byte[] old = Frame(v1, ResolutionCase.Encode(WriterV1, DatumV1));
        var current = new Account(9, "cy", 1.25, Tier.Silver, [1], new() { ["x"] = 2 }, "n", new Contact("c", [7]));
        byte[] now = Frame(v2, AvroSerializer.SerializeToArray(current));

        for (int i = 0; i < 100; i++)
        {
            Account a = decoder.Decode(old);
            Assert.Equal(3L, a.Id);
            Assert.Equal(Tier.Gold, a.Tier);
            Assert.Null(a.Note);
            Account b = decoder.Decode(now);
            Assert.Equal("n", b.Note);
            Assert.Equal(Tier.Silver, b.Tier);
        }

        Assert.Equal(2, counting.Lookups);
    }

    [Fact]
    public async Task Every_unreadable_record_carries_its_dead_letter_reason()
    {
        var registry = new InMemorySchemaRegistry(AvroCompatibilityMode.None);
        int good = await registry.RegisterAsync("a-value", WriterV1);
        int unresolvable = await registry.RegisterAsync("b-value", """{"type":"record","name":"Account","namespace":"kappa.res.typed","fields":[{"name":"Id","type":"string"}]}""");
        var decoder = new ConfluentAvroDecoder<Account>(registry);

        Assert.Equal(DeadLetterHeaders.ReasonBadFraming, Assert.Throws<FramedAvroException>(() => decoder.Decode([0, 0, 1])).Reason);
        Assert.Equal(DeadLetterHeaders.ReasonBadFraming, Assert.Throws<FramedAvroException>(() => decoder.Decode([1, 0, 0, 0, 1, 2])).Reason);
        FramedAvroException unknown = Assert.Throws<FramedAvroException>(() => decoder.Decode(Frame(4242, [0])));
        Assert.Equal(DeadLetterHeaders.ReasonUnknownSchemaId, unknown.Reason);
        Assert.Equal(4242, unknown.SchemaId);
        FramedAvroException bad = Assert.Throws<FramedAvroException>(() => decoder.Decode(Frame(unresolvable, [2, 65])));
        Assert.Equal(DeadLetterHeaders.ReasonUnresolvableSchema, bad.Reason);
        Assert.Contains("Account.Id", bad.Message, StringComparison.Ordinal);
        byte[] body = ResolutionCase.Encode(WriterV1, DatumV1);
        FramedAvroException truncated = Assert.Throws<FramedAvroException>(() => decoder.Decode(Frame(good, body[..^2])));
        Assert.Equal(DeadLetterHeaders.ReasonUndecodable, truncated.Reason);
        Assert.IsType<AvroDecodeException>(truncated.InnerException);
    }

    [Theory]
    [InlineData(SubjectNameStrategy.Topic, "accounts-value")]
    [InlineData(SubjectNameStrategy.Record, "kappa.res.typed.Account")]
    [InlineData(SubjectNameStrategy.TopicRecord, "accounts-kappa.res.typed.Account")]
    public async Task Encoder_registers_under_the_strategy_subject_once_and_frames_outputs(SubjectNameStrategy strategy, string subject)
    {
        var registry = new InMemorySchemaRegistry();
        var encoder = new ConfluentAvroEncoder<Account>(registry, strategy);
        Assert.Equal(subject, encoder.SubjectFor("accounts"));
        var value = new Account(1, "a", 2, Tier.Gold, [], [], null, new Contact("e", []));
        byte[] first = await encoder.SerializeAsync(value, "accounts");
        byte[] second = await encoder.SerializeAsync(value, "accounts");
        Assert.Equal(first, second);
        RegisteredSchema registered = Assert.Single(await registry.GetVersionsAsync(subject));
        Assert.Equal(registered.Id, ConfluentWireFormat.ReadHeader(first, out _));
        Assert.Equal("a", new ConfluentAvroDecoder<Account>(registry).Decode(first).Name);
    }

    [Fact]
    public async Task Registry_enforces_the_subject_mode_and_reuses_ids_for_equal_schemas()
    {
        var registry = new InMemorySchemaRegistry();
        Assert.Equal(AvroCompatibilityMode.BackwardTransitive, registry.GetMode("s"));
        int id = await registry.RegisterAsync("s", """{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}""");
        Assert.Equal(id, await registry.RegisterAsync("s", """{"type":"record",  "name":"R", "fields":[{"name":"a","type":"int"}]}"""));
        await registry.RegisterAsync("s", """{"type":"record","name":"R","fields":[{"name":"a","type":"long"},{"name":"b","type":"string","default":""}]}""");
        SchemaIncompatibleException e = await Assert.ThrowsAsync<SchemaIncompatibleException>(async () =>
            await registry.RegisterAsync("s", """{"type":"record","name":"R","fields":[{"name":"a","type":"long"},{"name":"b","type":"string"}]}"""));
        Assert.Contains("'s' is not BACKWARD_TRANSITIVE compatible", e.Message, StringComparison.Ordinal);
        Assert.Contains("version 1", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, (await registry.GetVersionsAsync("s")).Count);

        registry.SetMode("s", AvroCompatibilityMode.None);
        await registry.RegisterAsync("s", """{"type":"record","name":"R","fields":[{"name":"z","type":"string"}]}""");
        Assert.Equal(3, (await registry.GetVersionsAsync("s")).Count);
    }

    [Fact]
    public async Task Deploy_check_tests_against_every_registered_version()
    {
        var registry = new InMemorySchemaRegistry(AvroCompatibilityMode.None);
        await registry.RegisterAsync("accounts-value", WriterV1);
        Assert.Empty(await SchemaRegistryChecks.CheckAsync(registry, "accounts-value", Account.AvroSchemaJson));
        string dropsDefault = Account.AvroSchemaJson.Replace("\"default\":null", string.Empty, StringComparison.Ordinal).Replace(",}", "}", StringComparison.Ordinal);
        AvroSchemaParser.Parse(dropsDefault);
        AvroCompatibilityViolation v = Assert.Single(await SchemaRegistryChecks.CheckAsync(registry, "accounts-value", dropsDefault));
        Assert.Contains("'Note'", v.ToString(), StringComparison.Ordinal);
    }
}
