using System.Diagnostics;
using Kappa.Avro;
using Kappa.Log;
using Kappa.Processing;
using Kappa.Transport;

namespace Kappa.Runtime.Tests.Processing;

[Collection(TracingCollection.Name)]
public sealed class TracingTests
{
    public static TheoryData<string> Transports => new() { "in-memory", "embedded-log" };

    [Theory]
    [MemberData(nameof(Transports))]
    public void A_record_sent_under_a_parent_is_processed_in_its_trace_and_its_output_and_dead_letter_carry_the_new_context(string kind)
    {
        using var spans = new SpanCollector();
        using var directory = new TempDirectory();
        using IKappaTransport transport = kind == "embedded-log"
            ? new EmbeddedLogTransport(new EmbeddedLogOptions { Directory = directory.Path, FsyncPolicy = FsyncPolicy.Never, MaintenanceInterval = null })
            : new InMemoryTransport();
        transport.EnsureTopics([new TopicSpec("units", 1)]);

        ActivityContext parent;
        using (Activity checkout = SpanCollector.TestSource.StartActivity("checkout")!)
        {
            parent = checkout.Context;
            using var producer = new TracingProducer(transport.CreateProducer(new ProducerSettings()), ownsInner: true);
            producer.Produce(new OutgoingRecord("units", "k-1"u8, AvroSerializer.SerializeToArray(new OrderUnit { Sequence = 1, Sign = 5 })) { TimestampMs = 10 });
            producer.Produce(new OutgoingRecord("units", "k-2"u8, [0x80]) { TimestampMs = 11 }); // undecodable: dead-lettered
            producer.Flush();
        }

        Run(transport, ProcessorRunner.Create(new NegateUnits(), transport, ProcessorTestKit.FastOptions()));

        // The producer's spans are children of the caller's activity.
        IReadOnlyList<Activity> sends = spans.Named("send units");
        Assert.Equal(2, sends.Count);
        Assert.All(sends, s => Assert.Equal((parent.TraceId, parent.SpanId, ActivityKind.Producer), (s.TraceId, s.ParentSpanId, s.Kind)));

        // One batch span; one processing span per record, each the child of the span that sent its record.
        Activity batch = Assert.Single(spans.Spans, s => s.GetTagItem(KappaTracing.MessagingBatchCount) is not null);
        Assert.Equal(2, batch.GetTagItem(KappaTracing.MessagingBatchCount));
        Assert.Equal("negate-units.v1", batch.GetTagItem(KappaTracing.MessagingConsumerGroup));
        IReadOnlyList<Activity> processing = spans.Named("process units").Where(s => s != batch).OrderBy(s => (long)s.GetTagItem(KappaTracing.MessagingKafkaOffset)!).ToList();
        Assert.Equal(2, processing.Count);
        for (int i = 0; i < 2; i++)
        {
            Activity span = processing[i];
            Assert.Equal((parent.TraceId, sends[i].SpanId, ActivityKind.Consumer), (span.TraceId, span.ParentSpanId, span.Kind));
            Assert.Equal(batch.SpanId, Assert.Single(span.Links).Context.SpanId);
            Assert.Equal("kafka", span.GetTagItem(KappaTracing.MessagingSystem));
            Assert.Equal("process", span.GetTagItem(KappaTracing.MessagingOperationName));
            Assert.Equal("units", span.GetTagItem(KappaTracing.MessagingDestinationName));
            Assert.Equal("0", span.GetTagItem(KappaTracing.MessagingPartition));
            Assert.Equal((long)i, span.GetTagItem(KappaTracing.MessagingKafkaOffset));
            Assert.Equal("negate-units.v1", span.GetTagItem(KappaTracing.MessagingConsumerGroup));
            Assert.Equal($"k-{i + 1}", span.GetTagItem(KappaTracing.MessagingKafkaKey));
        }

        Assert.Equal(ActivityStatusCode.Unset, processing[0].Status);
        Assert.Equal((ActivityStatusCode.Error, (object?)true), (processing[1].Status, processing[1].GetTagItem(KappaTracing.DeadLetteredTag)));

        // The output and the dead letter carry the context of their own send span, a child of the processing span.
        ActivityContext output = TraceContextOf(Assert.Single(ReadAll(transport, "negated-units.v1")));
        Activity outputSend = Assert.Single(spans.Named("send negated-units.v1"));
        Assert.Equal((parent.TraceId, outputSend.SpanId), (output.TraceId, output.SpanId));
        Assert.Equal(processing[0].SpanId, outputSend.ParentSpanId);

        ActivityContext dead = TraceContextOf(Assert.Single(ReadAll(transport, "negate-units.v1.dlq")));
        Activity deadSend = Assert.Single(spans.Named("send negate-units.v1.dlq"));
        Assert.Equal((parent.TraceId, deadSend.SpanId), (dead.TraceId, dead.SpanId));
        Assert.Equal(processing[1].SpanId, deadSend.ParentSpanId);
    }

    [Fact]
    public void A_record_without_context_is_processed_in_the_batch_trace_and_bad_trace_headers_are_ignored()
    {
        using var spans = new SpanCollector();
        var transport = new InMemoryTransport();
        transport.CreateTopic("units", 1);
        byte[] value = AvroSerializer.SerializeToArray(new OrderUnit { Sequence = 1, Sign = 1 });
        transport.Append("units", 0, "a"u8.ToArray(), value, 1);
        transport.Append("units", 0, "b"u8.ToArray(), value, 2, new RecordHeadersWriter().Add("traceparent", "not-a-context").Add("app", "x").Encoded.ToArray());

        ProcessorRunner.Create(new NegateUnits(), transport, ProcessorTestKit.FastOptions()).RunUntilIdle(transport);

        Activity batch = Assert.Single(spans.Spans, s => s.GetTagItem(KappaTracing.MessagingBatchCount) is not null);
        IReadOnlyList<Activity> processing = spans.Named("process units").Where(s => s != batch).ToList();
        Assert.Equal(2, processing.Count);
        Assert.All(processing, s => Assert.Equal((batch.TraceId, batch.SpanId), (s.TraceId, s.ParentSpanId)));
        Kappa.Testing.InMemoryRecord second = transport.Read("negated-units.v1")[1];
        var headers = new RecordHeaders(second.Headers);
        Assert.Null(headers.GetLastString("app")); // outputs do not inherit the input's headers
        Assert.True(KappaTracing.TryExtract(headers, out ActivityContext context));
        Assert.Equal(batch.TraceId, context.TraceId);
    }

    private static void Run(IKappaTransport transport, ProcessorRunner runner)
    {
        if (transport is InMemoryTransport memory)
        {
            runner.RunUntilIdle(memory);
        }
        else
        {
            ProcessorLag.RunUntilCaughtUp(runner, transport, TimeSpan.FromMinutes(1));
        }
    }

    private static ActivityContext TraceContextOf((byte[] Key, byte[] Headers) record)
    {
        Assert.True(KappaTracing.TryExtract(new RecordHeaders(record.Headers), out ActivityContext context), "The record carries no trace context.");
        Assert.True(context.IsRemote);
        return context;
    }

    /// <summary>Every committed record of a one-partition topic, through the transport's own consumer.</summary>
    private static List<(byte[] Key, byte[] Headers)> ReadAll(IKappaTransport transport, string topic)
    {
        var records = new List<(byte[], byte[])>();
        var partition = new TopicPartition(topic, 0);
        long end = transport.GetWatermarks(partition).High;
        using IKappaConsumer consumer = transport.CreateConsumer(new ConsumerSettings { GroupId = "trace-reader" });
        consumer.Assign([new TopicPartitionOffset(topic, 0, 0)]);
        while (consumer.Position(partition) < end && consumer.TryConsume(TimeSpan.FromSeconds(5), out ConsumedRecord record))
        {
            records.Add((record.Key.ToArray(), record.Headers.Encoded.ToArray()));
        }

        return records;
    }

    private sealed class TempDirectory : IDisposable
    {
        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "kappa-trace-" + Guid.NewGuid().ToString("N"));

        public void Dispose()
        {
            if (Directory.Exists(Path))
            {
                Directory.Delete(Path, recursive: true);
            }
        }
    }
}
