using System.Diagnostics.Metrics;
using System.Text;
using Kappa.Processing;
using Kappa.State;
using Kappa.Transport;
using Microsoft.Extensions.Logging;

namespace Kappa.Runtime.Tests.Processing;

public class StatefulRunnerTests
{
    private const string Changelog = "total-units.v1.totals-changelog";
    private const string Outputs = "unit-totals.v1";

    [Fact]
    public void Descriptor_names_the_store_and_its_changelog()
    {
        ProcessorDescriptor d = TotalUnits.KappaDescriptor;
        Assert.True(d.IsStateful);
        StateStoreDescriptor store = Assert.Single(d.Stores);
        Assert.Equal("totals", store.Name);
        Assert.Equal(Changelog, store.ChangelogTopic);
        Assert.Equal(typeof(UnitTotals), store.StateType);

        StateStoreDescriptor named = Assert.Single(TrackCustomers.KappaDescriptor.Stores);
        Assert.Equal("customers", named.Name);
        Assert.Equal("track-customers.v1.customers-changelog", named.ChangelogTopic);
        Assert.False(EnrichOrders.KappaDescriptor.IsStateful);
    }

    [Fact]
    public void Running_totals_commit_in_transactions_with_a_compacted_changelog_of_the_latest_values()
    {
        var transport = new InMemoryTransport();
        transport.CreateTopic("units", 2);
        transport.AppendUnits(0, 20, keys: 3, partitions: 2);
        var runner = ProcessorRunner.Create(new TotalUnits(), transport, StatefulTestKit.Options());
        Assert.True(runner.IsExactlyOnce);
        Assert.Equal("total-units.v1.test-instance", runner.TransactionalId);

        runner.RunUntilCaughtUp(transport);

        Assert.Equal(2, transport.GetPartitionCount(Changelog));
        AssertTotals(transport.Units(Outputs), 20, 3);
        Dictionary<string, UnitTotals> expected = ExpectedTotals(20, 3);
        Dictionary<string, UnitTotals> latest = transport.LatestState<UnitTotals>(Changelog).ToDictionary(e => e.Key, e => e.Value);
        Assert.Equal(expected, latest);

        // Changelog partition n holds the keys of input partition n.
        foreach (var record in transport.Read(Changelog))
        {
            int k = int.Parse(Encoding.UTF8.GetString(record.Key!)[1..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(k % 2, record.Partition);
        }

        Assert.True(transport.CommittedTransactions >= 5);
        Assert.Equal(0, transport.AbortedTransactions);
        Assert.Equal(13L, transport.CommittedOffset("total-units.v1", "units", 0)); // k0 and k2
        Assert.Equal(7L, transport.CommittedOffset("total-units.v1", "units", 1)); // k1
    }

    [Fact]
    public void A_restarted_processor_restores_its_state_and_continues_like_an_uninterrupted_run()
    {
        var transport = new InMemoryTransport();
        transport.CreateTopic("units", 2);
        transport.AppendUnits(0, 15, keys: 4, partitions: 2);
        ProcessorRunner.Create(new TotalUnits(), transport, StatefulTestKit.Options()).RunUntilCaughtUp(transport);

        transport.AppendUnits(15, 15, keys: 4, partitions: 2);
        var logger = new CapturingLogger();
        ProcessorRunner.Create(new TotalUnits(), transport, StatefulTestKit.Options(), logger).RunUntilCaughtUp(transport);

        // Every output equals the uninterrupted run's: the totals continued from the restored state.
        AssertTotals(transport.Units(Outputs), 30, 4);
        Assert.Equal(ExpectedTotals(30, 4), transport.LatestState<UnitTotals>(Changelog).ToDictionary(e => e.Key, e => e.Value));
        Assert.Contains(logger.Entries, e => e.Message.Contains("restoring totals-0 from " + Changelog, StringComparison.Ordinal) && e.Message.Contains("(changelog)", StringComparison.Ordinal));
        Assert.Contains(logger.Entries, e => e.Message.Contains("restored partition 1", StringComparison.Ordinal));
    }

    [Fact]
    public void A_snapshot_spares_the_changelog_replay_and_a_corrupt_one_is_ignored()
    {
        string dir = Path.Combine(Path.GetTempPath(), "kappa-stateful-" + Guid.NewGuid().ToString("N"));
        try
        {
            var transport = new InMemoryTransport();
            transport.CreateTopic("units", 2);
            transport.AppendUnits(0, 12, keys: 4, partitions: 2);
            ProcessorRunner.Create(new TotalUnits(), transport, StatefulTestKit.Options(dir)).RunUntilCaughtUp(transport);
            string snapshot0 = Path.Combine(dir, "total-units.v1", "totals-0.snapshot");
            string snapshot1 = Path.Combine(dir, "total-units.v1", "totals-1.snapshot");
            Assert.True(File.Exists(snapshot0));
            Assert.True(File.Exists(snapshot1));

            // Restart with intact snapshots: no changelog record needs replaying, so no restore consumer is created.
            transport.AppendUnits(12, 8, keys: 4, partitions: 2);
            ProcessorRunner.Create(new TotalUnits(), transport, StatefulTestKit.Options(dir)).RunUntilCaughtUp(transport);
            Assert.Equal(0, transport.ManualConsumers);
            AssertTotals(transport.Units(Outputs), 20, 4);

            // Corrupt one snapshot: it is ignored with a warning and partition 0 replays its whole changelog.
            byte[] bytes = File.ReadAllBytes(snapshot0);
            bytes[bytes.Length / 2] ^= 0x5A;
            File.WriteAllBytes(snapshot0, bytes);
            transport.AppendUnits(20, 8, keys: 4, partitions: 2);
            var logger = new CapturingLogger();
            ProcessorRunner.Create(new TotalUnits(), transport, StatefulTestKit.Options(dir), logger).RunUntilCaughtUp(transport);

            Assert.Contains(logger.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning && e.Message.Contains("ignores the snapshot of totals-0", StringComparison.Ordinal) && e.Message.Contains("corrupt", StringComparison.Ordinal));
            Assert.Contains(logger.Entries, e => e.Message.Contains("restoring totals-0 from " + Changelog + " offsets 0..", StringComparison.Ordinal));
            Assert.DoesNotContain(logger.Entries, e => e.Message.Contains("restoring totals-1", StringComparison.Ordinal));
            AssertTotals(transport.Units(Outputs), 28, 4);
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    [Fact]
    public void Deleting_state_writes_a_tombstone_and_the_key_starts_over_after_a_restart()
    {
        var transport = new InMemoryTransport();
        transport.CreateTopic("orders", 1);
        transport.AppendOrder(0, "alice", 5, "eu", 1);
        transport.AppendOrder(0, "bob", 7, "us", 2);
        transport.AppendOrder(0, "alice", 3, "eu", 3);
        transport.AppendOrder(0, "alice", 0, "close", 4);
        var options = StatefulTestKit.Options();
        ProcessorRunner.Create(new TrackCustomers(), transport, options).RunUntilCaughtUp(transport);

        Dictionary<string, CustomerTotals?> latest = transport.LatestState<CustomerTotals>("track-customers.v1.customers-changelog");
        Assert.Null(latest["alice"]);
        Assert.Equal(7, latest["bob"]!.Amount);
        Assert.Null(transport.Read("track-customers.v1.customers-changelog").Last(r => Encoding.UTF8.GetString(r.Key!) == "alice").Value);

        transport.AppendOrder(0, "alice", 11, "eu", 5);
        transport.AppendOrder(0, "bob", 1, "us", 6);
        ProcessorRunner.Create(new TrackCustomers(), transport, StatefulTestKit.Options()).RunUntilCaughtUp(transport);

        var outputs = transport.Read("customer-totals.v1").Select(r => ProcessorTestKit.Decode<EnrichedOrder>(r.Value)).ToList();
        Assert.Equal([5L, 7L, 8L, 11L, 8L], outputs.Select(o => o.AmountCents));
        Assert.Equal([1L, 1L, 2L, 1L, 2L], outputs.Select(o => o.SourceOffset));
    }

    [Fact]
    public void A_record_without_a_key_is_dead_lettered_when_its_handler_keeps_state()
    {
        var transport = new InMemoryTransport();
        transport.CreateTopic("units", 1);
        transport.Append("units", 0, StatefulTestKit.Key("a"), StatefulTestKit.Unit(1), 1);
        transport.Append("units", 0, null, StatefulTestKit.Unit(2), 2);
        transport.Append("units", 0, StatefulTestKit.Key("a"), StatefulTestKit.Unit(3), 3);
        ProcessorRunner.Create(new TotalUnits(), transport, StatefulTestKit.Options()).RunUntilCaughtUp(transport);

        var dead = Assert.Single(transport.Read("total-units.v1.dlq"));
        var headers = new RecordHeaders(dead.Headers);
        Assert.Equal(DeadLetterHeaders.ReasonNullKey, headers.GetLastString(DeadLetterHeaders.Reason));
        Assert.Contains("null key", headers.GetLastString(DeadLetterHeaders.Error), StringComparison.Ordinal);
        Assert.Contains("'totals'", headers.GetLastString(DeadLetterHeaders.Error), StringComparison.Ordinal);
        Assert.Equal([(1L, 1L), (2L, 4L)], transport.Units(Outputs).Select(u => (u.Value.Sequence, u.Value.Sign)));
    }

    [Theory]
    [InlineData("produce", true)]
    [InlineData("commit", true)]
    [InlineData("produce", false)]
    [InlineData("commit", false)]
    public void A_failed_transaction_is_aborted_its_state_rolled_back_and_the_batch_processed_again(string failure, bool revokeOnClose)
    {
        // revokeOnClose false: the consumer leaves without a revocation callback; the rollback must not depend on one.
        var transport = new InMemoryTransport { RevokeOnClose = revokeOnClose };
        transport.CreateTopic("units", 2);
        transport.AppendUnits(0, 40, keys: 5, partitions: 2);
        bool injected = false;
        transport.OnConsumed = delivered =>
        {
            if (delivered == 13 && !injected)
            {
                injected = true;
                if (failure == "produce")
                {
                    transport.FailTransactionalProduces = 1;
                }
                else
                {
                    transport.FailTransactionCommits = 1;
                }
            }
        };

        var logger = new CapturingLogger();
        ProcessorRunner.Create(new TotalUnits(), transport, StatefulTestKit.Options(), logger).RunUntilCaughtUp(transport);

        Assert.True(injected);
        Assert.Equal(1, transport.AbortedTransactions);
        Assert.Contains(logger.Entries, e => e.Message.Contains("aborted a transaction", StringComparison.Ordinal));

        // Identical to an uninterrupted run: every output exactly once, with totals built on the rolled-back state.
        AssertTotals(transport.Units(Outputs), 40, 5);
        Assert.Equal(ExpectedTotals(40, 5), transport.LatestState<UnitTotals>(Changelog).ToDictionary(e => e.Key, e => e.Value));
    }

    [Fact]
    public void A_failure_while_the_changelog_end_is_unreadable_is_reported_and_the_warm_state_dropped()
    {
        // The broker goes away after a committed batch: the consumer fails, and releasing the (clean) partitions
        // cannot read the changelog's end either. The processor reports the consumer's failure, not the release's.
        var transport = new InMemoryTransport();
        transport.CreateTopic("units", 1);
        transport.AppendUnits(0, 6, keys: 2, partitions: 1);
        var logger = new CapturingLogger();
        ProcessorRunner runner = ProcessorRunner.Create(new TotalUnits(), transport, StatefulTestKit.Options(), logger);
        transport.OnIdle = () =>
        {
            if (transport.CommittedOffset("total-units.v1", "units", 0) == 6)
            {
                transport.FailWatermarks = true;
                transport.FailNextConsume = new KappaTransportException("Injected: broker connection lost.");
            }
        };

        var error = Assert.Throws<ProcessorFaultedException>(() => runner.Run(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token));

        Assert.Contains("Injected: broker connection lost.", error.Message, StringComparison.Ordinal);
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("warm state is dropped", StringComparison.Ordinal));
        AssertTotals(transport.Units(Outputs), 6, 2);
    }

    [Fact]
    public void Repeated_transaction_failures_stop_the_processor_without_committing_the_batch()
    {
        var transport = new InMemoryTransport();
        transport.CreateTopic("units", 1);
        transport.AppendUnits(0, 6, keys: 2, partitions: 1);
        transport.FailTransactionCommits = 100;
        var options = StatefulTestKit.Options();
        options.MaxTransactionRetries = 2;

        var error = Assert.Throws<ProcessorFaultedException>(() => ProcessorRunner.Create(new TotalUnits(), transport, options).RunUntilCaughtUp(transport));

        Assert.Contains("3 transactions in a row failed", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, transport.AbortedTransactions);
        Assert.Empty(transport.Read(Outputs));
        Assert.Empty(transport.Read(Changelog));
        Assert.Null(transport.CommittedOffset("total-units.v1", "units", 0));
    }

    [Fact]
    public void A_fenced_instance_stops_with_a_clear_error_and_commits_nothing_more()
    {
        var transport = new InMemoryTransport();
        transport.CreateTopic("units", 1);
        transport.AppendUnits(0, 12, keys: 2, partitions: 1);
        var runner = ProcessorRunner.Create(new TotalUnits(), transport, StatefulTestKit.Options());
        transport.OnConsumed = delivered =>
        {
            if (delivered == 6)
            {
                transport.Fence(runner.TransactionalId);
            }
        };

        var error = Assert.Throws<ProcessorFaultedException>(() => runner.RunUntilCaughtUp(transport));

        Assert.IsType<KappaFencedException>(error.InnerException);
        Assert.Contains("another instance took over transactional id 'total-units.v1.test-instance'", error.Message, StringComparison.Ordinal);
        Assert.Equal(4, transport.Read(Outputs).Count); // the first batch of 4; the fenced batch is not committed
        Assert.Equal(4L, transport.CommittedOffset("total-units.v1", "units", 0));
    }

    [Fact]
    public void A_rebalance_mid_stream_commits_first_and_the_results_stay_exactly_once()
    {
        var transport = new InMemoryTransport();
        transport.CreateTopic("units", 3);
        transport.AppendUnits(0, 45, keys: 6, partitions: 3);
        int revokes = 0;
        transport.OnConsumed = delivered =>
        {
            if (delivered is 10 or 27)
            {
                revokes++;
                transport.RequestRevokeAll();
            }
        };

        ProcessorRunner.Create(new TotalUnits(), transport, StatefulTestKit.Options(batch: 7)).RunUntilCaughtUp(transport);

        Assert.Equal(2, revokes);
        Assert.Equal(2, transport.Events.Count(e => e == "revoked"));
        AssertTotals(transport.Units(Outputs), 45, 6);
        Assert.Equal(ExpectedTotals(45, 6), transport.LatestState<UnitTotals>(Changelog).ToDictionary(e => e.Key, e => e.Value));
    }

    [Fact]
    public void Restore_pauses_the_partition_and_reports_progress_through_logs_and_metrics()
    {
        var transport = new InMemoryTransport();
        transport.CreateTopic("units", 2);
        transport.AppendUnits(0, 200, keys: 50, partitions: 2);
        ProcessorRunner.Create(new TotalUnits(), transport, StatefulTestKit.Options(batch: 1)).RunUntilCaughtUp(transport);
        int changelogRecords = transport.Read(Changelog).Count;
        Assert.Equal(200, changelogRecords); // one change per batch of one record

        long restored = 0;
        // The meter is process-wide and other tests restore "total-units.v1" in parallel: count only what this
        // test's runner (which runs on this thread) reports.
        int thisThread = Environment.CurrentManagedThreadId;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == KappaMetrics.MeterName && instrument.Name == "kappa.state.restore.records")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == KappaMetrics.ProcessorTag && (string?)tag.Value == "total-units.v1" && Environment.CurrentManagedThreadId == thisThread)
                {
                    Interlocked.Add(ref restored, value);
                }
            }
        });
        listener.Start();

        transport.AppendUnits(200, 10, keys: 50, partitions: 2);
        var logger = new CapturingLogger();
        var options = StatefulTestKit.Options();
        options.RestoreChunkRecords = 16; // many chunks, with polls of the input in between
        ProcessorRunner.Create(new TotalUnits(), transport, options, logger).RunUntilCaughtUp(transport);

        Assert.Equal(changelogRecords, Interlocked.Read(ref restored));
        Assert.Contains(logger.Entries, e => e.Message.Contains("restoring: ", StringComparison.Ordinal) && e.Message.Contains("/200 records", StringComparison.Ordinal) && e.Message.Contains("ETA", StringComparison.Ordinal));
        List<string> events = transport.Events.ToList();
        int pause = events.FindIndex(e => e.StartsWith("pause ", StringComparison.Ordinal));
        int resume = events.FindIndex(e => e.StartsWith("resume ", StringComparison.Ordinal));
        Assert.True(pause >= 0 && resume > pause, string.Join("\n", events));
        AssertTotals(transport.Units(Outputs), 210, 50);
    }

    [Fact]
    public void A_partition_revoked_while_restoring_is_restored_again_from_the_start_when_it_comes_back()
    {
        var transport = new InMemoryTransport();
        transport.CreateTopic("units", 2);
        transport.AppendUnits(0, 120, keys: 30, partitions: 2);
        ProcessorRunner.Create(new TotalUnits(), transport, StatefulTestKit.Options(batch: 1)).RunUntilCaughtUp(transport);

        transport.AppendUnits(120, 10, keys: 30, partitions: 2);
        var options = StatefulTestKit.Options();
        options.RestoreChunkRecords = 8;
        var logger = new CapturingLogger();
        int idles = 0;
        ProcessorRunner.Create(new TotalUnits(), transport, options, logger).RunUntilCaughtUp(transport, () =>
        {
            // The inputs are paused while restoring, so the consumer idles: rebalance in the middle of the restore.
            if (++idles == 2)
            {
                transport.RequestRevokeAll();
            }
        });

        List<string> events = transport.Events.ToList();
        int revoked = events.IndexOf("revoked");
        int firstResume = events.FindIndex(e => e.StartsWith("resume ", StringComparison.Ordinal));
        Assert.True(revoked >= 0 && firstResume > revoked, string.Join("\n", events));
        Assert.Equal(2, logger.Entries.Count(e => e.Message.Contains("restoring totals-0 from", StringComparison.Ordinal)));
        AssertTotals(transport.Units(Outputs), 130, 30);
        Assert.Equal(ExpectedTotals(130, 30), transport.LatestState<UnitTotals>(Changelog).ToDictionary(e => e.Key, e => e.Value));
    }

    [Fact]
    public void Stateless_processors_can_opt_into_exactly_once()
    {
        var transport = new InMemoryTransport();
        transport.CreateTopic("orders", 1);
        transport.AppendOrder(0, "o-1", 5, "eu", 1);
        transport.AppendOrder(0, "o-2", 6, "eu", 2);
        var options = ProcessorTestKit.FastOptions();
        options.Guarantee = ProcessingGuarantee.ExactlyOnce;
        options.InstanceId = "a";
        ProcessorRunner.Create(new EnrichOrders(), transport, options).RunUntilIdle(transport);

        Assert.Equal(2, transport.Read("enriched-orders.v1").Count);
        Assert.Equal(1, transport.CommittedTransactions);
        Assert.Equal(2L, transport.CommittedOffset("enrich-orders.v1", "orders", 0));
        Assert.DoesNotContain(transport.Events, e => e.StartsWith("commit ", StringComparison.Ordinal));
    }

    [Fact]
    public void At_least_once_stateful_processing_flushes_the_changelog_before_committing()
    {
        var transport = new InMemoryTransport();
        transport.CreateTopic("units", 1);
        transport.AppendUnits(0, 8, keys: 2, partitions: 1);
        var options = StatefulTestKit.Options();
        options.Guarantee = ProcessingGuarantee.AtLeastOnce;
        ProcessorRunner.Create(new TotalUnits(), transport, options).RunUntilCaughtUp(transport);

        Assert.Equal(0, transport.CommittedTransactions);
        AssertTotals(transport.Units(Outputs), 8, 2);
        Assert.Equal(ExpectedTotals(8, 2), transport.LatestState<UnitTotals>(Changelog).ToDictionary(e => e.Key, e => e.Value));
    }

    /// <summary>The totals an uninterrupted run computes: record i (key k{i % keys}) has sign i+1.</summary>
    internal static Dictionary<string, UnitTotals> ExpectedTotals(int records, int keys)
    {
        var totals = new Dictionary<string, UnitTotals>(StringComparer.Ordinal);
        for (int i = 0; i < records; i++)
        {
            string key = "k" + (i % keys);
            UnitTotals t = totals.GetValueOrDefault(key);
            t.Count++;
            t.Sum += i + 1;
            totals[key] = t;
        }

        return totals;
    }

    /// <summary>Each key's outputs are exactly its running totals 1..n, in order, once each.</summary>
    internal static void AssertTotals(List<(string Key, OrderUnit Value)> outputs, int records, int keys)
    {
        var expected = new Dictionary<string, List<(long, long)>>(StringComparer.Ordinal);
        var running = new Dictionary<string, (long Count, long Sum)>(StringComparer.Ordinal);
        for (int i = 0; i < records; i++)
        {
            string key = "k" + (i % keys);
            var (count, sum) = running.GetValueOrDefault(key);
            running[key] = (count + 1, sum + i + 1);
            if (!expected.TryGetValue(key, out var list))
            {
                expected[key] = list = new List<(long, long)>();
            }

            list.Add(running[key]);
        }

        var actual = outputs.GroupBy(o => o.Key).ToDictionary(g => g.Key, g => g.Select(o => (o.Value.Sequence, o.Value.Sign)).ToList());
        Assert.Equal(expected.Keys.OrderBy(k => k), actual.Keys.OrderBy(k => k));
        foreach (var (key, list) in expected)
        {
            Assert.Equal(list, actual[key]);
        }
    }
}
