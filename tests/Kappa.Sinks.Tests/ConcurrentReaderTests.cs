using System.Collections.Concurrent;
using System.Data.Common;
using Kappa.Sinks.Tests.Infrastructure;
using Kappa.SinkHost.Records;

namespace Kappa.Sinks.Tests;

/// <summary>
/// Readers of the tables and of the serving view, while two writers commit batches and the view is switched back and
/// forth between the two versions: no reader ever gets an error, a missing view, or a partial batch (a table's row
/// count always equals the offsets it committed in the same snapshot), and the view always shows one whole version.
/// </summary>
public sealed class ConcurrentReaderTests
{
    [Theory]
    [InlineData(DatabaseKind.Sqlite)]
    [InlineData(DatabaseKind.PostgreSql)]
    public void ReadersNeverSeeAnErrorAPartialBatchOrAMissingView(DatabaseKind kind)
    {
        using var transport = TestTransport.Create(TransportKind.EmbeddedLog);
        using var db = TestDatabase.Create(kind);
        var v1 = new SinkTarget("ledger", 1);
        var v2 = new SinkTarget("ledger", 2);
        var random = new Random(8);
        Workload.ProduceEntries(transport.Transport, v1.Topic, 2, Enumerable.Range(0, 200).Select(i => Workload.Entry(i, random)));
        Workload.ProduceEntries(transport.Transport, v2.Topic, 2, Enumerable.Range(0, 500).Select(i => Workload.Entry(i, random)));
        using var w1 = new WriterRun<LedgerEntry>(transport.Transport, db, v1, MaterializationTests.Options(maxBatch: 37));
        using var w2 = new WriterRun<LedgerEntry>(transport.Transport, db, v2, MaterializationTests.Options(maxBatch: 53));
        w1.WaitCaughtUp();
        w2.WaitCaughtUp();
        db.Database.SwitchServingView(v1);

        var errors = new ConcurrentQueue<string>();
        var stop = new ManualResetEventSlim();
        long reads = 0, switches = 0, viewOnV1 = 0, viewOnV2 = 0;
        string Q(string name) => db.Relation(name);
        string consistency =
            $"SELECT (SELECT count(*) FROM {Q(v1.Table)}), (SELECT coalesce(sum(next_offset), 0) FROM {Q("_kappa_offsets")} WHERE table_name = '{v1.Table}'), " +
            $"(SELECT count(*) FROM {Q(v2.Table)}), (SELECT coalesce(sum(next_offset), 0) FROM {Q("_kappa_offsets")} WHERE table_name = '{v2.Table}'), " +
            $"(SELECT count(*) FROM {Q(v1.View)})";

        var threads = new List<Thread>();
        for (int r = 0; r < 3; r++)
        {
            threads.Add(new Thread(() =>
            {
                using DbConnection connection = db.Open();
                while (!stop.IsSet)
                {
                    try
                    {
                        using DbCommand command = connection.CreateCommand();
                        command.CommandText = consistency;
                        using DbDataReader reader = command.ExecuteReader();
                        reader.Read();
                        long rows1 = reader.GetInt64(0), offsets1 = reader.GetInt64(1), rows2 = reader.GetInt64(2), offsets2 = reader.GetInt64(3), view = reader.GetInt64(4);
                        if (rows1 != offsets1 || rows2 != offsets2)
                        {
                            errors.Enqueue($"partial batch: v1 {rows1} rows / {offsets1} offsets, v2 {rows2} rows / {offsets2} offsets");
                        }

                        if (view != rows1 && view != rows2)
                        {
                            errors.Enqueue($"the view shows {view} rows, neither v1's {rows1} nor v2's {rows2}");
                        }

                        Interlocked.Increment(ref view == rows1 ? ref viewOnV1 : ref viewOnV2);
                        Interlocked.Increment(ref reads);
                    }
                    catch (Exception error)
                    {
                        errors.Enqueue($"{error.GetType().Name}: {error.Message}");
                    }
                }
            }) { IsBackground = true });
        }

        threads.Add(new Thread(() =>
        {
            for (int i = 0; !stop.IsSet; i++)
            {
                try
                {
                    db.Database.SwitchServingView(i % 2 == 0 ? v2 : v1);
                    Interlocked.Increment(ref switches);
                }
                catch (Exception error)
                {
                    errors.Enqueue($"switch failed: {error.GetType().Name}: {error.Message}");
                }

                Thread.Sleep(5);
            }
        }) { IsBackground = true });

        threads.ForEach(t => t.Start());
        // Writers keep committing: new records on both topics while readers read and the view switches. At least 30 waves,
        // and more until the switches and reads counted below happened under writes, and readers saw the view on each
        // version (a loaded machine does fewer per wave).
        for (int wave = 0;
             wave < 30 || (wave < 600 && (Interlocked.Read(ref switches) <= 20 || Interlocked.Read(ref reads) <= 50 || Interlocked.Read(ref viewOnV1) == 0 || Interlocked.Read(ref viewOnV2) == 0));
             wave++)
        {
            Workload.ProduceEntries(transport.Transport, v1.Topic, 2, Enumerable.Range(10_000 + (wave * 40), 40).Select(i => Workload.Entry(i, random)));
            Workload.ProduceEntries(transport.Transport, v2.Topic, 2, Enumerable.Range(10_000 + (wave * 90), 90).Select(i => Workload.Entry(i, random)));
            Thread.Sleep(60);
        }

        w1.WaitCaughtUp();
        w2.WaitCaughtUp();
        stop.Set();
        threads.ForEach(t => Assert.True(t.Join(TimeSpan.FromSeconds(60)), "a reader did not stop"));

        Assert.True(errors.IsEmpty, $"{errors.Count} reader errors, first: {string.Join("\n", errors.Take(5))}");
        Assert.True(reads > 50, $"only {reads} reads");
        Assert.True(switches > 20, $"only {switches} switches");
        Assert.True(viewOnV1 > 0 && viewOnV2 > 0, $"the view never showed one of the versions (v1 {viewOnV1}, v2 {viewOnV2})");
        Assert.True(w1.Writer.CommittedBatches > 10 && w2.Writer.CommittedBatches > 10, "the writers committed too few batches to overlap the readers");
        w1.Stop();
        w2.Stop();
    }
}
