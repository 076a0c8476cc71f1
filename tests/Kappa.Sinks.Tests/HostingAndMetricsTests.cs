using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Kappa.Hosting;
using Kappa.Processing;
using Kappa.SinkHost.Records;
using Kappa.Sinks.Tests.Infrastructure;
using Kappa.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kappa.Sinks.Tests;

/// <summary>AddSink registration in a generic host, and the sink writer's metrics on the "Kappa" meter.</summary>
public sealed class HostingAndMetricsTests
{
    [Fact]
    public async Task AddSink_RunsTheWriterInAGenericHost_AndReportsRowsBatchesAndLag()
    {
        using var transport = TestTransport.Create(TransportKind.EmbeddedLog);
        using var db = TestDatabase.Create(DatabaseKind.Sqlite);
        var target = new SinkTarget("metered", 1);
        var random = new Random(6);
        Workload.ProduceEntries(transport.Transport, target.Topic, 2, Enumerable.Range(0, 700).Select(i => Workload.Entry(i, random)));

        var measurements = new ConcurrentQueue<(string Instrument, double Value, string? Table)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == KappaMetrics.MeterName && instrument.Name.StartsWith("kappa.sink.", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string? table = null;
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                if (tag.Key == KappaMetrics.SinkTableTag)
                {
                    table = tag.Value as string;
                }
            }

            if (table == target.Table)
            {
                measurements.Enqueue((instrument.Name, value, table));
            }
        }

        listener.SetMeasurementEventCallback<long>((i, v, t, _) => Record(i, v, t));
        listener.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
        listener.Start();

        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Services.AddKappa(_ => new NonOwningTransport(transport.Transport))
            .AddSink<LedgerEntry>(target.Sink, target.Version, _ => db.Database, o => o.MaxBatchRecords = 100);
        using (IHost host = builder.Build())
        {
            await host.StartAsync();
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (db.CommittedOffsets(target.Table) < 700 || Lag(measurements) != 0)
            {
                Assert.True(DateTime.UtcNow < deadline, $"the hosted writer did not catch up (offsets {db.CommittedOffsets(target.Table)}, lag {Lag(measurements)})");
                await Task.Delay(50);
            }

            await host.StopAsync();
        }

        Assert.Equal(700, Rows.Entries(db, target.Table).Count);
        Assert.Equal(700, measurements.Where(m => m.Instrument == "kappa.sink.rows").Sum(m => m.Value));
        Assert.True(measurements.Count(m => m.Instrument == "kappa.sink.batch.duration") >= 7, "one duration per batch of at most 100 records");
        Assert.Contains(measurements, m => m.Instrument == "kappa.sink.lag" && m.Value > 0);
        Assert.Equal(0, Lag(measurements));
    }

    [Fact]
    public void AddSink_RefusesASecondWriterForTheSameTable_AndNeedsATransport()
    {
        var services = new ServiceCollection();
        KappaBuilder kappa = services.AddKappa();
        var database = new SqliteSinkDatabase(Path.Combine(Path.GetTempPath(), "unused.db"));
        kappa.AddSink<LedgerEntry>("ledger", 1, _ => database);
        Assert.Contains("already registered", Assert.Throws<InvalidOperationException>(() => kappa.AddSink<LedgerEntry>("ledger", 1, _ => database)).Message, StringComparison.Ordinal);
        kappa.AddSink<LedgerEntry>("ledger", 2, _ => database);
        Assert.Equal(["ledger_v1", "ledger_v2"], kappa.Sinks.Order());
        Assert.Throws<ArgumentException>(() => kappa.AddSink<LedgerEntry>("bad name", 1, _ => database));

        using ServiceProvider provider = services.BuildServiceProvider();
        var error = Assert.Throws<InvalidOperationException>(() => provider.GetServices<IHostedService>().ToList());
        Assert.Contains("needs a transport", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The lag the meter reports now: the sum of the up-down counter's deltas.</summary>
    private static double Lag(IEnumerable<(string Instrument, double Value, string? Table)> measurements) =>
        measurements.Where(m => m.Instrument == "kappa.sink.lag").Sum(m => m.Value);

    /// <summary>Lends the test's transport to a host without letting the host's container dispose it.</summary>
    internal sealed class NonOwningTransport(Transport.IKappaTransport inner) : Transport.IKappaTransport
    {
        public string Description => inner.Description;

        public void EnsureTopics(IReadOnlyCollection<Transport.TopicSpec> topics) => inner.EnsureTopics(topics);

        public int? GetPartitionCount(string topic) => inner.GetPartitionCount(topic);

        public Transport.WatermarkOffsets GetWatermarks(Transport.TopicPartition partition) => inner.GetWatermarks(partition);

        public Transport.IKappaConsumer CreateConsumer(Transport.ConsumerSettings settings) => inner.CreateConsumer(settings);

        public Transport.IKappaProducer CreateProducer(Transport.ProducerSettings settings) => inner.CreateProducer(settings);

        public Transport.ITransactionalProducer CreateTransactionalProducer(Transport.ProducerSettings settings, string transactionalId) => inner.CreateTransactionalProducer(settings, transactionalId);

        public void Dispose()
        {
        }
    }
}
