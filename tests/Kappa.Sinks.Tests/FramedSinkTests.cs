using Kappa.Tests;
using Kappa.Avro;
using Kappa.Avro.Registry;
using Kappa.Processing;
using Kappa.SinkHost.Records;
using Kappa.Sinks.Tests.Infrastructure;
using Kappa.Transport;
using Microsoft.Extensions.Logging;

namespace Kappa.Sinks.Tests;

/// <summary>
/// A sink whose topic carries Confluent-framed Avro (<see cref="ValueFormat.ConfluentAvro"/>): values of every registered
/// writer schema become rows, bad values are dead-lettered with the processor's reasons, and a registry that does not
/// answer commits nothing until it does.
/// </summary>
public sealed class FramedSinkTests
{
    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.PostgreSql)]
    public void FramedValuesOfTwoSchemaVersions_AreAllMaterialized(DatabaseKind kind)
    {
        using var transport = TestTransport.Create(TransportKind.EmbeddedLog);
        using var db = TestDatabase.Create(kind);
        var target = new SinkTarget("framed-ledger", 1);
        var registry = new CountingRegistry(FramedEntries.Registry(transport));
        (int V1, int V2) ids = FramedEntries.RegisterBoth(registry, target.Topic);
        Assert.NotEqual(ids.V1, ids.V2);
        var random = new Random(11);
        var entries = Enumerable.Range(0, 400).Select(i => Workload.Entry(i, random)).ToList();
        FramedEntries.Produce(transport.Transport, target.Topic, 2, entries, ids);

        using var run = new WriterRun<LedgerEntry>(transport.Transport, db, target, Framed(registry, maxBatch: 64));
        Assert.Equal(ValueFormat.ConfluentAvro, run.Writer.ValueFormat);
        run.WaitCaughtUp();

        Rows.AssertSame(FramedEntries.Expected(entries), FramedEntries.Rows(db, target.Table), "rows of v1 and v2 values");
        Assert.Empty(DeadLetterReader.ReadAll(transport.Transport, target.DeadLetterTopic));
        Assert.Equal(2, registry.Lookups); // once per schema id, not per record

        // More of both versions later: no new lookup.
        var more = Enumerable.Range(400, 100).Select(i => Workload.Entry(i, random)).ToList();
        FramedEntries.Produce(transport.Transport, target.Topic, 2, more, ids);
        run.WaitCaughtUp();
        Rows.AssertSame(FramedEntries.Expected(entries.Concat(more)), FramedEntries.Rows(db, target.Table), "rows after more values");
        Assert.Equal(2, registry.Lookups);
        run.Stop();
    }

    [Fact]
    public async Task EachBadFramedValue_IsDeadLetteredWithTheProcessorsReason_AndTheRestIsWritten()
    {
        using var transport = TestTransport.Create(TransportKind.EmbeddedLog);
        using var db = TestDatabase.Create(DatabaseKind.Sqlite);
        var target = new SinkTarget("framed-bad", 1);
        var registry = FramedEntries.Registry(transport);
        (int V1, int V2) ids = FramedEntries.RegisterBoth(registry, target.Topic);
        int unreadable = await registry.RegisterAsync("someone-else-value", FramedEntries.UnreadableSchema);
        int unknown = 1 + Math.Max(unreadable, Math.Max(ids.V1, ids.V2));
        var random = new Random(12);
        var entries = Enumerable.Range(0, 100).Select(i => Workload.Entry(i, random)).ToList();
        FramedEntries.Produce(transport.Transport, target.Topic, 1, entries, ids);
        byte[] good = FramedEntries.V2(Workload.Entry(1000, random), ids.V2);
        var bad = new (string Reason, byte[] Value)[]
        {
            (DeadLetterHeaders.ReasonBadFraming, [1, .. good.AsSpan(1)]),                                    // magic byte 1
            (DeadLetterHeaders.ReasonBadFraming, [0, 0, 0]),                                                 // shorter than the header
            (DeadLetterHeaders.ReasonUnknownSchemaId, Reframe(good, unknown)),
            (DeadLetterHeaders.ReasonUnresolvableSchema, Reframe(good, unreadable)),
            (DeadLetterHeaders.ReasonUndecodable, [.. good.AsSpan(0, 5), 0xFF, 0xFF, 0xFF]),                 // v2 id, garbage body
            (DeadLetterHeaders.ReasonUndecodable, [.. good, 7]),                                             // a byte after the record
        };
        using (IKappaProducer producer = transport.Transport.CreateProducer(new ProducerSettings()))
        {
            foreach ((string _, byte[] value) in bad)
            {
                producer.Produce(new OutgoingRecord(target.Topic, Workload.AccountKey(5), value) { Partition = 0 });
            }

            producer.Flush();
        }

        var more = Enumerable.Range(100, 20).Select(i => Workload.Entry(i, random)).ToList();
        FramedEntries.Produce(transport.Transport, target.Topic, 1, more, ids);

        using var run = new WriterRun<LedgerEntry>(transport.Transport, db, target, Framed(registry, maxBatch: 32));
        run.WaitCaughtUp();

        List<DeadLetterReader.DeadLetter> dead = DeadLetterReader.ReadAll(transport.Transport, target.DeadLetterTopic).OrderBy(d => d.Offset).ToList();
        Assert.Equal(bad.Select(b => b.Reason), dead.Select(d => d.Reason));
        Assert.Equal(Enumerable.Range(100, bad.Length).Select(i => (long)i), dead.Select(d => d.Offset));
        for (int i = 0; i < bad.Length; i++)
        {
            Assert.Equal(bad[i].Value, dead[i].Value); // the original bytes
            Assert.Equal(target.Table, dead[i].Table);
        }

        Assert.Contains($"Schema id {unknown} is not in the schema registry", dead[2].Error, StringComparison.Ordinal);
        Assert.Contains("entry_id", dead[3].Error, StringComparison.Ordinal);
        Assert.Contains($"Schema id {ids.V2}", dead[4].Error, StringComparison.Ordinal);
        Rows.AssertSame(FramedEntries.Expected(entries.Concat(more)), FramedEntries.Rows(db, target.Table), "rows besides the dead letters");
        run.Stop();
    }

    [Fact]
    public void AFramedSinkWithoutARegistry_RefusesToStart_NamingTheSinkAndHowToConfigureOne()
    {
        using var transport = TestTransport.Create(TransportKind.EmbeddedLog);
        using var db = TestDatabase.Create(DatabaseKind.Sqlite);
        var target = new SinkTarget("framed-unconfigured", 3);
        var error = Assert.Throws<InvalidOperationException>(() =>
            new SinkWriter<LedgerEntry>(transport.Transport, db.Database, target, new SinkWriterOptions { ValueFormat = ValueFormat.ConfluentAvro }));
        Assert.Contains(target.Table, error.Message, StringComparison.Ordinal);
        Assert.Contains("framed-unconfigured.v3", error.Message, StringComparison.Ordinal);
        Assert.Contains("AddSchemaRegistry", error.Message, StringComparison.Ordinal);
        Assert.Contains("SinkWriterOptions.SchemaRegistry", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ARegistryThatDoesNotAnswer_CommitsNothingOfTheBatch_AndTheWriterResumesWhenItAnswers()
    {
        using var transport = TestTransport.Create(TransportKind.EmbeddedLog);
        using var db = TestDatabase.Create(DatabaseKind.Sqlite);
        var target = new SinkTarget("framed-flaky", 1);
        var registry = new CountingRegistry(FramedEntries.Registry(transport));
        (int V1, int V2) ids = FramedEntries.RegisterBoth(registry, target.Topic);
        var random = new Random(13);

        // Odd entry ids only: v2 values, so the writer knows only the v2 id when the registry goes away.
        var first = Enumerable.Range(0, 100).Select(i => Workload.Entry(2 * i + 1, random)).ToList();
        FramedEntries.Produce(transport.Transport, target.Topic, 1, first, ids);
        var logger = new CapturingLogger();
        using var run = new WriterRun<LedgerEntry>(transport.Transport, db, target, Framed(registry, maxBatch: 1000), logger);
        run.WaitCaughtUp();
        Assert.Equal(100, db.CommittedOffsets(target.Table));
        Assert.Equal(1, registry.Lookups);

        // The registry goes away; the next batch starts with v2 values (decodable from the cache) and then needs v1.
        registry.Available = false;
        var second = Enumerable.Range(0, 10).Select(i => Workload.Entry(301 + 2 * i, random)).Concat(Enumerable.Range(400, 50).Select(i => Workload.Entry(i, random))).ToList();
        FramedEntries.Produce(transport.Transport, target.Topic, 1, second, ids);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (registry.FailedLookups < 3)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the writer asked the unavailable registry {registry.FailedLookups} times");
            Thread.Sleep(20);
        }

        Assert.Equal(100, db.CommittedOffsets(target.Table));
        Rows.AssertSame(FramedEntries.Expected(first), FramedEntries.Rows(db, target.Table), "rows while the registry is away");
        Assert.Empty(DeadLetterReader.ReadAll(transport.Transport, target.DeadLetterTopic));
        (EventId _, LogLevel level, string message, Exception? exception) = logger.Entries.First(e => e.Id.Id == 109);
        Assert.Equal(LogLevel.Error, level);
        Assert.Contains($"schema registry did not answer the lookup of schema id {ids.V1}", message, StringComparison.Ordinal);
        Assert.Contains("nothing of the current batch", message, StringComparison.Ordinal);
        Assert.IsType<SchemaRegistryUnavailableException>(exception);

        registry.Available = true;
        run.WaitCaughtUp();
        Rows.AssertSame(FramedEntries.Expected(first.Concat(second)), FramedEntries.Rows(db, target.Table), "rows after the registry answers");
        Assert.Empty(DeadLetterReader.ReadAll(transport.Transport, target.DeadLetterTopic));
        Assert.Contains(logger.Entries, e => e.Id.Id == 103); // recovered
        run.Stop();
    }

    [Fact]
    public void TheFramedDecoder_AllocatesNothingPerValueBeyondTheDecodedRecord_AndAsksTheRegistryOncePerId()
    {
        using var transport = TestTransport.Create(TransportKind.EmbeddedLog);
        var registry = new CountingRegistry(FramedEntries.Registry(transport));
        (int V1, int V2) ids = FramedEntries.RegisterBoth(registry, "alloc.v1");
        var random = new Random(14);
        LedgerEntry[] entries = Enumerable.Range(0, 64).Select(i => Workload.Entry(i, random)).ToArray();
        byte[][] framed = entries.Select(e => e.EntryId % 2 == 0 ? FramedEntries.V1(e, ids.V1) : FramedEntries.V2(e, ids.V2)).ToArray();
        byte[][] plain = entries.Select(e => AvroSerializer.SerializeToArray(e)).ToArray();
        ISinkValueDecoder<LedgerEntry> framedDecoder = SinkValueDecoders.Create<LedgerEntry>(new SinkTarget("alloc", 1), new SinkWriterOptions { ValueFormat = ValueFormat.ConfluentAvro, SchemaRegistry = registry });
        ISinkValueDecoder<LedgerEntry> plainDecoder = SinkValueDecoders.Create<LedgerEntry>(new SinkTarget("alloc", 1), new SinkWriterOptions());
        Assert.IsType<ConfluentAvroSinkValueDecoder<LedgerEntry>>(framedDecoder);
        Assert.IsType<AvroSinkValueDecoder<LedgerEntry>>(plainDecoder);
        const int rounds = 200;
        long checksum = 0;

        void Decode(ISinkValueDecoder<LedgerEntry> decoder, byte[][] values)
        {
            for (int r = 0; r < rounds; r++)
            {
                foreach (byte[] value in values)
                {
                    checksum += decoder.Decode(value).EntryId;
                }
            }
        }

        Decode(framedDecoder, framed); // warm up: JIT, both ids fetched and planned, the resolution buffer grown
        Decode(plainDecoder, plain);
        Assert.Equal(2, registry.Lookups);
        Assert.Equal(2L * rounds * entries.Sum(e => e.EntryId), checksum);

        long plainBytes = AllocationMeasure.LeastOfThreeRuns(() => Decode(plainDecoder, plain));
        long framedBytes = AllocationMeasure.LeastOfThreeRuns(() => Decode(framedDecoder, framed));
        int values = rounds * entries.Length;
        Assert.True(plainBytes >= 24L * values, $"the plain decode allocates the records ({plainBytes} B for {values} values)");
        Assert.True(
            framedBytes - plainBytes < values,
            $"framed decode allocated {framedBytes} B, the unframed decode of the same records {plainBytes} B, over {values} values: the difference would be at least 24 B per value for an object per value");
        Assert.Equal(2, registry.Lookups);
    }

    internal static SinkWriterOptions Framed(ISchemaRegistry registry, int maxBatch)
    {
        SinkWriterOptions options = MaterializationTests.Options(maxBatch);
        options.ValueFormat = ValueFormat.ConfluentAvro;
        options.SchemaRegistry = registry;
        return options;
    }

    private static byte[] Reframe(byte[] framed, int schemaId)
    {
        byte[] copy = framed.ToArray();
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(copy.AsSpan(1), schemaId);
        return copy;
    }

    /// <summary>Counts schema lookups by id; while <see cref="Available"/> is false every lookup fails as an unreachable registry does.</summary>
    internal sealed class CountingRegistry(ISchemaRegistry inner) : ISchemaRegistry
    {
        private int _lookups;
        private int _failed;
        private volatile bool _available = true;

        public bool Available
        {
            get => _available;
            set => _available = value;
        }

        public int Lookups => Volatile.Read(ref _lookups);

        public int FailedLookups => Volatile.Read(ref _failed);

        public ValueTask<string?> GetSchemaAsync(int id, CancellationToken cancellationToken = default)
        {
            if (!_available)
            {
                Interlocked.Increment(ref _failed);
                throw new HttpRequestException("Connection refused (the test's registry is down)");
            }

            Interlocked.Increment(ref _lookups);
            return inner.GetSchemaAsync(id, cancellationToken);
        }

        public ValueTask<int> RegisterAsync(string subject, string schema, CancellationToken cancellationToken = default) => inner.RegisterAsync(subject, schema, cancellationToken);

        public ValueTask<IReadOnlyList<RegisteredSchema>> GetVersionsAsync(string subject, CancellationToken cancellationToken = default) => inner.GetVersionsAsync(subject, cancellationToken);
    }
}
