using System.Text;
using Kappa.Avro;
using Kappa.Naming;
using Kappa.Processing;
using Kappa.Transport;

namespace Kappa.Runtime.Tests.Processing;

public class ProcessorRunnerTests
{
    private const string Group = "enrich-orders.v1";

    [Fact]
    public void Generated_descriptor_uses_the_naming_convention()
    {
        ProcessorDescriptor d = EnrichOrders.KappaDescriptor;
        Assert.Equal("enrich-orders", d.Name);
        Assert.Equal(1, d.Version);
        Assert.Equal(KappaNames.ConsumerGroup("enrich-orders", 1), d.ConsumerGroup);
        Assert.Equal(["orders"], d.InputTopics);
        Assert.Equal(["enriched-orders.v1"], d.OutputTopics);
        Assert.Equal("enrich-orders.v1.dlq", d.DeadLetterTopic);

        ProcessorDescriptor split = SplitOrders.KappaDescriptor;
        Assert.Equal(["orders", "refunds"], split.InputTopics);
        Assert.Equal(["order-units.v2"], split.OutputTopics);
        Assert.Equal("split-orders.v2", split.ConsumerGroup);
    }

    [Fact]
    public void Outputs_go_to_the_versioned_topic_with_the_input_key_and_timestamp()
    {
        var transport = new InMemoryTransport();
        transport.CreateTopic("orders", 3);
        transport.AppendOrder(0, "o-1", 5, "eu", 1_000);
        transport.AppendOrder(1, "o-2", 7, "us", 2_000);
        transport.AppendOrder(1, "o-3", 9, "eu", 3_000);

        ProcessorRunner.Create(new EnrichOrders(), transport, ProcessorTestKit.FastOptions()).RunUntilIdle(transport);

        // Output and dead-letter topics are created with as many partitions as the widest input.
        Assert.Equal(3, transport.GetPartitionCount("enriched-orders.v1"));
        Assert.Equal(3, transport.GetPartitionCount("enrich-orders.v1.dlq"));

        var outputs = transport.Read("enriched-orders.v1").OrderBy(r => r.TimestampMs).ToList();
        Assert.Equal(3, outputs.Count);
        var expected = new[] { ("o-1", 1_000L, 0, 0L, "EU", 500L), ("o-2", 2_000L, 1, 0L, "US", 700L), ("o-3", 3_000L, 1, 1L, "EU", 900L) };
        for (int i = 0; i < expected.Length; i++)
        {
            var (id, ts, partition, offset, region, cents) = expected[i];
            Assert.Equal(id, Encoding.UTF8.GetString(outputs[i].Key!));
            Assert.Equal(ts, outputs[i].TimestampMs);
            EnrichedOrder value = ProcessorTestKit.Decode<EnrichedOrder>(outputs[i].Value);
            Assert.Equal(id, value.Id);
            Assert.Equal(region, value.Region);
            Assert.Equal(cents, value.AmountCents);
            Assert.Equal(ts, value.SourceTimestampMs);
            Assert.Equal(partition, value.SourcePartition);
            Assert.Equal(offset, value.SourceOffset);
        }

        Assert.Equal(1, transport.CommittedOffset(Group, "orders", 0));
        Assert.Equal(2, transport.CommittedOffset(Group, "orders", 1));
        Assert.Null(transport.CommittedOffset(Group, "orders", 2));
        Assert.Empty(transport.Read("enrich-orders.v1.dlq"));
    }

    [Fact]
    public void Outputs_of_one_key_land_in_one_partition()
    {
        var transport = new InMemoryTransport();
        transport.CreateTopic("orders", 4);
        for (int i = 0; i < 12; i++)
        {
            transport.AppendOrder(i % 4, "customer-" + (i % 3), 1 + i, "eu", 10 * i);
        }

        ProcessorRunner.Create(new EnrichOrders(), transport, ProcessorTestKit.FastOptions()).RunUntilIdle(transport);

        var outputs = transport.Read("enriched-orders.v1");
        Assert.Equal(12, outputs.Count);
        foreach (var byKey in outputs.GroupBy(r => Encoding.UTF8.GetString(r.Key!)))
        {
            Assert.Single(byKey.Select(r => r.Partition).Distinct());
        }
    }

    [Fact]
    public void Every_commit_follows_a_flush_of_the_outputs_it_covers()
    {
        var transport = new InMemoryTransport();
        transport.CreateTopic("orders", 1);
        for (int i = 0; i < 10; i++)
        {
            transport.AppendOrder(0, "o-" + i, 1, "eu", i);
        }

        var options = ProcessorTestKit.FastOptions();
        options.MaxBatchSize = 4;
        ProcessorRunner.Create(new EnrichOrders(), transport, options).RunUntilIdle(transport);

        var events = transport.Events.Where(e => e.StartsWith("flush", StringComparison.Ordinal) || e.StartsWith("commit", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            ["flush 4", "commit orders-0@4", "flush 4", "commit orders-0@8", "flush 2", "commit orders-0@10"],
            events);
    }

    [Fact]
    public void Many_outputs_per_record_and_several_input_topics()
    {
        var transport = new InMemoryTransport();
        transport.CreateTopic("orders", 1);
        transport.CreateTopic("refunds", 2);
        transport.AppendOrder(0, "o-1", 3, "eu", 100);
        transport.AppendOrder(0, "o-2", 0, "eu", 200);
        transport.Append("refunds", 1, ProcessorTestKit.Key("o-1"), ProcessorTestKit.Encode(new Order { Id = "o-1", Amount = 2, Region = "eu" }), 300);

        ProcessorRunner.Create(new SplitOrders(), transport, ProcessorTestKit.FastOptions()).RunUntilIdle(transport);

        var units = transport.Read("order-units.v2").OrderBy(r => r.TimestampMs).ThenBy(r => ProcessorTestKit.Decode<OrderUnit>(r.Value).Sequence).ToList();
        Assert.Equal(2, transport.GetPartitionCount("order-units.v2"));
        Assert.Equal(4, units.Count);
        Assert.Equal([100L, 100L, 100L, 300L], units.Select(u => u.TimestampMs));
        Assert.Equal([0L, 1L, 2L, 0L], units.Select(u => ProcessorTestKit.Decode<OrderUnit>(u.Value).Sequence));
        Assert.Equal([1L, 1L, 1L, -2L], units.Select(u => ProcessorTestKit.Decode<OrderUnit>(u.Value).Sign));
        Assert.All(units, u => Assert.Equal("o-1", Encoding.UTF8.GetString(u.Key!)));
        Assert.Equal(2, transport.CommittedOffset("split-orders.v2", "orders", 0));
        Assert.Equal(1, transport.CommittedOffset("split-orders.v2", "refunds", 1));
    }

    [Fact]
    public void A_null_output_produces_nothing_but_the_record_is_committed()
    {
        var transport = new InMemoryTransport();
        transport.CreateTopic("orders", 1);
        transport.AppendOrder(0, "free", 0, "eu", 1);
        transport.AppendOrder(0, "paid", 2, "eu", 2);

        ProcessorRunner.Create(new EnrichOrders(), transport, ProcessorTestKit.FastOptions()).RunUntilIdle(transport);

        var output = Assert.Single(transport.Read("enriched-orders.v1"));
        Assert.Equal("paid", ProcessorTestKit.Decode<EnrichedOrder>(output.Value).Id);
        Assert.Equal(2, transport.CommittedOffset(Group, "orders", 0));
    }

    [Fact]
    public void A_failing_flush_commits_nothing_and_stops_with_the_error()
    {
        var transport = new InMemoryTransport();
        transport.CreateTopic("orders", 1);
        transport.AppendOrder(0, "o-1", 1, "eu", 1);
        transport.FailFlush = true;

        var error = Assert.Throws<ProcessorFaultedException>(() =>
            ProcessorRunner.Create(new EnrichOrders(), transport, ProcessorTestKit.FastOptions()).RunUntilIdle(transport));

        Assert.IsType<KappaTransportException>(error.InnerException);
        Assert.Contains("flushing outputs failed", error.Message, StringComparison.Ordinal);
        Assert.Equal(Group, error.Processor);
        Assert.Null(transport.CommittedOffset(Group, "orders", 0));
        Assert.DoesNotContain(transport.Events, e => e.StartsWith("commit", StringComparison.Ordinal));
        Assert.Empty(transport.Read("enriched-orders.v1"));
    }

    [Fact]
    public void Poison_records_go_to_the_dead_letter_topic_with_their_bytes_and_processing_continues()
    {
        var transport = new InMemoryTransport();
        transport.CreateTopic("orders", 2);
        var originalHeaders = new RecordHeadersWriter().Add("trace-id", "abc").Add("empty", (string?)null);
        byte[] headerBytes = originalHeaders.Encoded.ToArray();
        byte[] garbage = [0x02, 0x41]; // a 1-byte string "A", then nothing: amount and region are missing
        transport.AppendOrder(1, "ok-1", 1, "eu", 10);
        transport.Append("orders", 1, ProcessorTestKit.Key("bad"), garbage, 20, headerBytes);
        transport.Append("orders", 1, ProcessorTestKit.Key("gone"), null, 30);
        transport.AppendOrder(1, "ok-2", 2, "eu", 40);

        ProcessorRunner.Create(new EnrichOrders(), transport, ProcessorTestKit.FastOptions()).RunUntilIdle(transport);

        Assert.Equal(["ok-1", "ok-2"], transport.Read("enriched-orders.v1").OrderBy(r => r.TimestampMs).Select(r => ProcessorTestKit.Decode<EnrichedOrder>(r.Value).Id));
        Assert.Equal(4, transport.CommittedOffset(Group, "orders", 1));

        var dead = transport.Read("enrich-orders.v1.dlq");
        Assert.Equal(2, dead.Count);

        var undecodable = dead.Single(r => Encoding.UTF8.GetString(r.Key!) == "bad");
        Assert.Equal(garbage, undecodable.Value);
        Assert.Equal(20, undecodable.TimestampMs);
        Assert.Equal(1, undecodable.Partition);
        var headers = new RecordHeaders(undecodable.Headers);
        Assert.Equal("abc", headers.GetLastString("trace-id"));
        Assert.True(headers.TryGetLast("empty", out _, out bool emptyIsNull) && emptyIsNull);
        Assert.Equal(DeadLetterHeaders.ReasonUndecodable, headers.GetLastString(DeadLetterHeaders.Reason));
        Assert.Equal(typeof(AvroDecodeException).FullName, headers.GetLastString(DeadLetterHeaders.ExceptionType));
        Assert.Contains("Order", headers.GetLastString(DeadLetterHeaders.Error), StringComparison.Ordinal);
        Assert.Equal("orders", headers.GetLastString(DeadLetterHeaders.Topic));
        Assert.Equal("1", headers.GetLastString(DeadLetterHeaders.Partition));
        Assert.Equal("1", headers.GetLastString(DeadLetterHeaders.Offset));
        Assert.Equal("20", headers.GetLastString(DeadLetterHeaders.Timestamp));
        Assert.Equal(Group, headers.GetLastString(DeadLetterHeaders.Processor));

        var tombstone = dead.Single(r => Encoding.UTF8.GetString(r.Key!) == "gone");
        Assert.Null(tombstone.Value);
        var tombstoneHeaders = new RecordHeaders(tombstone.Headers);
        Assert.Equal(DeadLetterHeaders.ReasonNullValue, tombstoneHeaders.GetLastString(DeadLetterHeaders.Reason));
        Assert.Equal(typeof(PoisonRecordException).FullName, tombstoneHeaders.GetLastString(DeadLetterHeaders.ExceptionType));
        Assert.Equal("2", tombstoneHeaders.GetLastString(DeadLetterHeaders.Offset));
    }

    [Fact]
    public void A_throwing_handler_stops_the_processor_without_committing_past_the_failing_record()
    {
        var transport = new InMemoryTransport();
        transport.CreateTopic("orders", 1);
        transport.AppendOrder(0, "o-1", 1, "eu", 1);
        transport.AppendOrder(0, "o-2", 1, "boom", 2);
        transport.AppendOrder(0, "o-3", 1, "eu", 3);

        var error = Assert.Throws<ProcessorFaultedException>(() =>
            ProcessorRunner.Create(new EnrichOrders(), transport, ProcessorTestKit.FastOptions()).RunUntilIdle(transport));

        Assert.Equal(("orders", 0, 1L), (error.Topic, error.Partition!.Value, error.Offset!.Value));
        Assert.IsType<InvalidOperationException>(error.InnerException);
        Assert.Contains("enrich-orders.v1", error.Message, StringComparison.Ordinal);
        Assert.Contains("partition 0 at offset 1", error.Message, StringComparison.Ordinal);

        // The record before the failure is done and committed; the failing one will be processed again on restart.
        Assert.Equal(1, transport.CommittedOffset(Group, "orders", 0));
        Assert.Equal(["o-1"], transport.Read("enriched-orders.v1").Select(r => ProcessorTestKit.Decode<EnrichedOrder>(r.Value).Id));
        Assert.Empty(transport.Read("enrich-orders.v1.dlq"));
        Assert.Equal(1, transport.ClosedConsumers);
    }

    [Fact]
    public void A_restarted_processor_resumes_at_the_failing_record()
    {
        var transport = new InMemoryTransport();
        transport.CreateTopic("orders", 1);
        transport.AppendOrder(0, "o-1", 1, "eu", 1);
        transport.AppendOrder(0, "o-2", 1, "boom", 2);
        Assert.Throws<ProcessorFaultedException>(() =>
            ProcessorRunner.Create(new EnrichOrders(), transport, ProcessorTestKit.FastOptions()).RunUntilIdle(transport));

        // Operator's choice after the fix: here, dead-letter the record on the second run.
        ProcessorRunner.Create(new EnrichOrders(), transport, ProcessorTestKit.FastOptions(HandlerErrorPolicy.DeadLetter)).RunUntilIdle(transport);

        var dead = Assert.Single(transport.Read("enrich-orders.v1.dlq"));
        Assert.Equal("1", new RecordHeaders(dead.Headers).GetLastString(DeadLetterHeaders.Offset));
        Assert.Single(transport.Read("enriched-orders.v1"));
        Assert.Equal(2, transport.CommittedOffset(Group, "orders", 0));
    }

    [Fact]
    public void With_the_dead_letter_policy_a_throwing_handler_dead_letters_the_record_and_continues()
    {
        var transport = new InMemoryTransport();
        transport.CreateTopic("orders", 1);
        transport.AppendOrder(0, "o-1", 1, "eu", 1);
        transport.AppendOrder(0, "o-2", 1, "boom", 2);
        transport.AppendOrder(0, "o-3", 1, "eu", 3);

        ProcessorRunner.Create(new EnrichOrders(), transport, ProcessorTestKit.FastOptions(HandlerErrorPolicy.DeadLetter)).RunUntilIdle(transport);

        Assert.Equal(["o-1", "o-3"], transport.Read("enriched-orders.v1").Select(r => ProcessorTestKit.Decode<EnrichedOrder>(r.Value).Id));
        var dead = Assert.Single(transport.Read("enrich-orders.v1.dlq"));
        var headers = new RecordHeaders(dead.Headers);
        Assert.Equal(DeadLetterHeaders.ReasonHandlerError, headers.GetLastString(DeadLetterHeaders.Reason));
        Assert.Equal(typeof(InvalidOperationException).FullName, headers.GetLastString(DeadLetterHeaders.ExceptionType));
        Assert.Contains("Region 'boom' is not served", headers.GetLastString(DeadLetterHeaders.Error), StringComparison.Ordinal);
        Assert.Equal("o-2", ProcessorTestKit.Decode<Order>(dead.Value).Id);
        Assert.Equal(3, transport.CommittedOffset(Group, "orders", 0));
    }

    [Fact]
    public void Cancellation_finishes_the_current_batch_then_flushes_commits_and_closes()
    {
        var transport = new InMemoryTransport();
        transport.CreateTopic("orders", 1);
        for (int i = 0; i < 6; i++)
        {
            transport.AppendOrder(0, "o-" + i, 1, "eu", i);
        }

        using var stop = new CancellationTokenSource();
        transport.OnConsumed = delivered =>
        {
            if (delivered == 2)
            {
                stop.Cancel();
            }
        };
        ProcessorRunner.Create(new EnrichOrders(), transport, ProcessorTestKit.FastOptions()).Run(stop.Token);

        // The record in hand when cancellation came is finished; nothing after it is read.
        Assert.Equal(2, transport.Read("enriched-orders.v1").Count);
        Assert.Equal(2, transport.CommittedOffset(Group, "orders", 0));
        Assert.Equal(1, transport.ClosedConsumers);
        var events = transport.Events;
        Assert.Equal(["flush 2", "commit orders-0@2", "close"], events.SkipWhile(e => e.StartsWith("assigned", StringComparison.Ordinal)));
    }

    [Fact]
    public void Revocation_flushes_and_commits_before_partitions_move()
    {
        var transport = new InMemoryTransport();
        transport.CreateTopic("orders", 2);
        transport.AppendOrder(0, "o-1", 1, "eu", 1);
        transport.AppendOrder(1, "o-2", 1, "eu", 2);
        transport.AppendOrder(0, "o-3", 1, "eu", 3);
        transport.OnConsumed = delivered =>
        {
            if (delivered == 2)
            {
                transport.RequestRevokeAll();
            }
        };

        ProcessorRunner.Create(new EnrichOrders(), transport, ProcessorTestKit.FastOptions()).RunUntilIdle(transport);

        var events = transport.Events.ToList();
        int revoke = events.IndexOf("revoke");
        Assert.True(revoke >= 0, string.Join(" | ", events));
        Assert.Equal(["revoke", "flush 2", "commit orders-0@1 orders-1@1", "revoked"], events.Skip(revoke).Take(4));
        Assert.Equal(2, transport.CommittedOffset(Group, "orders", 0));
        Assert.Equal(1, transport.CommittedOffset(Group, "orders", 1));
        Assert.Equal(3, transport.Read("enriched-orders.v1").Count);
    }

    [Fact]
    public void A_failing_commit_stops_the_processor_naming_it()
    {
        var transport = new InMemoryTransport();
        transport.CreateTopic("orders", 1);
        transport.AppendOrder(0, "o-1", 1, "eu", 1);
        transport.FailCommit = true;

        var error = Assert.Throws<ProcessorFaultedException>(() =>
            ProcessorRunner.Create(new EnrichOrders(), transport, ProcessorTestKit.FastOptions()).RunUntilIdle(transport));

        Assert.Contains("committing offsets failed", error.Message, StringComparison.Ordinal);
        Assert.IsType<KappaTransportException>(error.InnerException);
        Assert.Null(transport.CommittedOffset(Group, "orders", 0));
        Assert.Equal(1, transport.ClosedConsumers);

        // The close after the failure revoked the partitions without another commit attempt.
        Assert.Single(transport.Events, e => e == "commit-failed");
    }

    [Fact]
    public void A_consumer_failure_stops_the_processor_and_keeps_the_cause()
    {
        var transport = new InMemoryTransport();
        transport.CreateTopic("orders", 1);
        transport.FailNextConsume = new KappaTransportException("Injected: broker connection lost.");

        var error = Assert.Throws<ProcessorFaultedException>(() =>
            ProcessorRunner.Create(new EnrichOrders(), transport, ProcessorTestKit.FastOptions()).RunUntilIdle(transport));

        Assert.Equal("Processor enrich-orders.v1: consuming from orders failed: Injected: broker connection lost.", error.Message);
        Assert.IsType<KappaTransportException>(error.InnerException);
        Assert.Equal(1, transport.ClosedConsumers);
    }

    [Fact]
    public void Failures_and_dead_letters_are_logged_with_processor_and_position()
    {
        var transport = new InMemoryTransport();
        transport.CreateTopic("orders", 1);
        transport.Append("orders", 0, null, [0xFF], 1);
        transport.AppendOrder(0, "o-2", 1, "boom", 2);
        var logger = new CapturingLogger();

        Assert.Throws<ProcessorFaultedException>(() =>
            ProcessorRunner.Create(new EnrichOrders(), transport, ProcessorTestKit.FastOptions(), logger).RunUntilIdle(transport));

        var entries = logger.Entries;
        Assert.Contains(entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Information && e.Message.StartsWith("Processor enrich-orders.v1 starting on in-memory test transport", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning && e.Message.StartsWith("Processor enrich-orders.v1 sent orders-0@0 to enrich-orders.v1.dlq (undecodable)", StringComparison.Ordinal));
        var failure = Assert.Single(entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Error);
        Assert.StartsWith("Processor enrich-orders.v1 stopped: its handler threw on orders-0@1", failure.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(failure.Exception);
    }

    [Fact]
    public void A_runner_runs_once()
    {
        var transport = new InMemoryTransport();
        transport.CreateTopic("orders", 1);
        var runner = ProcessorRunner.Create(new EnrichOrders(), transport, ProcessorTestKit.FastOptions());
        runner.RunUntilIdle(transport);
        var error = Assert.Throws<InvalidOperationException>(() => runner.RunUntilIdle(transport));
        Assert.Contains("runs once", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 100, 100)]
    [InlineData(10, 0, 100)]
    [InlineData(10, 100, 0)]
    public void Invalid_options_are_rejected_by_name(int batchSize, int batchMs, int pollMs)
    {
        var options = new ProcessorOptions { MaxBatchSize = batchSize, MaxBatchTime = TimeSpan.FromMilliseconds(batchMs), PollTimeout = TimeSpan.FromMilliseconds(pollMs) };
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ProcessorRunner.Create(new EnrichOrders(), new InMemoryTransport(), options));
        Assert.StartsWith(batchSize == 0 ? "MaxBatchSize" : batchMs == 0 ? "MaxBatchTime" : "PollTimeout", error.ParamName, StringComparison.Ordinal);
    }
}
