using Kappa.Avro.Registry;
using Kappa.Hosting;
using Kappa.Processing;
using Kappa.SinkHost.Records;
using Kappa.Sinks.Tests.Infrastructure;
using Kappa.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kappa.Sinks.Tests;

/// <summary>
/// <see cref="KappaBuilder.AddSink{T}(ProcessorDescriptor, string, Func{IServiceProvider, ISinkDatabase}, Action{SinkWriterOptions}?)"/>
/// (what the generated <c>Add{Processor}Tables</c> calls): the sink's value format comes from the processor's descriptor
/// and a framed sink's registry from the container.
/// </summary>
public sealed class FramedSinkHostingTests
{
    /// <summary>A processor whose sink "hosted-ledger" is framed and whose sink "plain-ledger" is not.</summary>
    private static readonly ProcessorDescriptor Processor = new(
        "ledger-maker",
        2,
        ["payments"],
        ["hosted-ledger", "plain-ledger"],
        outputFormats: [ValueFormat.ConfluentAvro, ValueFormat.Avro]);

    [Fact]
    public async Task AFramedOutputsTable_ReadsFramedValues_WithTheContainersRegistry()
    {
        using var transport = TestTransport.Create(TransportKind.EmbeddedLog);
        using var db = TestDatabase.Create(DatabaseKind.Sqlite);
        var framed = new SinkTarget("hosted-ledger", 2);
        var plain = new SinkTarget("plain-ledger", 2);
        ISchemaRegistry registry = FramedEntries.Registry(transport);
        (int V1, int V2) ids = FramedEntries.RegisterBoth(registry, framed.Topic);
        var random = new Random(21);
        var framedEntries = Enumerable.Range(0, 300).Select(i => Workload.Entry(i, random)).ToList();
        var plainEntries = Enumerable.Range(0, 200).Select(i => Workload.Entry(i, random)).ToList();
        FramedEntries.Produce(transport.Transport, framed.Topic, 2, framedEntries, ids);
        Workload.ProduceEntries(transport.Transport, plain.Topic, 2, plainEntries);

        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Services.AddKappa(_ => new HostingAndMetricsTests.NonOwningTransport(transport.Transport))
            .AddSchemaRegistry(_ => registry)
            .AddSink<LedgerEntry>(Processor, "hosted-ledger", _ => db.Database, o => o.MaxBatchRecords = 100)
            .AddSink<LedgerEntry>(Processor, "plain-ledger", _ => db.Database, o => o.MaxBatchRecords = 100);
        using (IHost host = builder.Build())
        {
            List<SinkWriterService<LedgerEntry>> writers = host.Services.GetServices<IHostedService>().OfType<SinkWriterService<LedgerEntry>>().ToList();
            Assert.Equal(ValueFormat.ConfluentAvro, writers.Single(w => w.Target.Table == framed.Table).Writer.ValueFormat);
            Assert.Equal(ValueFormat.Avro, writers.Single(w => w.Target.Table == plain.Table).Writer.ValueFormat);
            await host.StartAsync();
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (db.CommittedOffsets(framed.Table) < 300 || db.CommittedOffsets(plain.Table) < 200)
            {
                Assert.True(DateTime.UtcNow < deadline, $"the hosted writers did not catch up ({db.CommittedOffsets(framed.Table)}, {db.CommittedOffsets(plain.Table)})");
                await Task.Delay(50);
            }

            await host.StopAsync();
        }

        Rows.AssertSame(FramedEntries.Expected(framedEntries), FramedEntries.Rows(db, framed.Table), "the framed sink's rows");
        Rows.AssertSame(FramedEntries.Expected(plainEntries), FramedEntries.Rows(db, plain.Table), "the plain sink's rows");
        Assert.Empty(DeadLetterReader.ReadAll(transport.Transport, framed.DeadLetterTopic));
    }

    [Fact]
    public void AFramedOutputsTable_WithoutARegistry_FailsTheHostsStart_NamingTheSink()
    {
        var services = new ServiceCollection();
        using var transport = TestTransport.Create(TransportKind.EmbeddedLog);
        var database = new SqliteSinkDatabase(Path.Combine(Path.GetTempPath(), "unused-framed.db"));
        services.AddKappa(_ => new HostingAndMetricsTests.NonOwningTransport(transport.Transport))
            .AddSink<LedgerEntry>(Processor, "hosted-ledger", _ => database);
        using ServiceProvider provider = services.BuildServiceProvider();
        var error = Assert.Throws<InvalidOperationException>(() => provider.GetServices<IHostedService>().ToList());
        Assert.Contains("hosted_ledger_v2", error.Message, StringComparison.Ordinal);
        Assert.Contains("AddSchemaRegistry", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSinkOptions_MayNotContradictTheProcessorsFormat_AndTheSinkMustBeTheProcessors()
    {
        KappaBuilder kappa = new ServiceCollection().AddKappa();
        var database = new SqliteSinkDatabase(Path.Combine(Path.GetTempPath(), "unused-framed.db"));
        var error = Assert.Throws<InvalidOperationException>(() => kappa.AddSink<LedgerEntry>(Processor, "hosted-ledger", _ => database, o => o.ValueFormat = ValueFormat.Avro));
        Assert.Contains("ledger-maker.v2 writes hosted-ledger.v2 as ConfluentAvro", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => kappa.AddSink<LedgerEntry>(Processor, "someone-elses", _ => database));
        Assert.Empty(kappa.Sinks);
    }
}
