using System.Diagnostics;
using System.Text;
using Kappa.Avro;
using Kappa.Kafka.Tests.Infrastructure;
using Kappa.Processing;
using Kappa.Transport;

namespace Kappa.Kafka.Tests;

/// <summary>
/// Trace context across a Kafka hop: producer, processor and output, all through <see cref="IKappaTransport"/> (the
/// propagation lives in the transport-neutral runner and <see cref="TracingProducer"/>).
/// </summary>
[Collection(TracingCollection.Name)]
public sealed class TracingTests
{
    [Fact]
    public void A_record_produced_under_a_parent_is_processed_in_its_trace_and_the_output_carries_the_new_context()
    {
        var stopped = new List<Activity>();
        using var source = new ActivitySource("Kappa.Kafka.Tests.Tracing");
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is KappaTracing.ActivitySourceName or "Kappa.Kafka.Tests.Tracing",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                lock (stopped)
                {
                    stopped.Add(a);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        using TestCluster cluster = TestCluster.Create(1);
        IKappaTransport transport = cluster.Transport;
        transport.EnsureTopics([new TopicSpec("trace-in", 1)]);

        ActivityContext parent;
        using (Activity root = source.StartActivity("root")!)
        {
            parent = root.Context;
            using var producer = new TracingProducer(transport.CreateProducer(new ProducerSettings()), ownsInner: true);
            producer.Produce(new OutgoingRecord("trace-in", "k"u8, AvroSerializer.SerializeToArray(new TracePing("p-1"))) { TimestampMs = 1 });
            producer.Flush();
        }

        var runner = ProcessorRunner.Create(new TraceEcho(), transport, new ProcessorOptions { InstanceId = "trace" });
        ProcessorLag.RunUntilCaughtUp(runner, transport, TimeSpan.FromMinutes(1));

        using IKappaConsumer consumer = transport.CreateConsumer(new ConsumerSettings { GroupId = "trace-reader" });
        consumer.Assign([new TopicPartitionOffset("trace-out.v1", 0, 0)]);
        Received output = Assert.Single(Consume.Exactly(consumer, 1));
        string traceparent = Encoding.UTF8.GetString(Assert.Single(output.Headers, h => h.Key == KappaTracing.TraceParentHeader).Value!);
        Assert.True(ActivityContext.TryParse(traceparent, null, out ActivityContext carried));

        List<Activity> spans;
        lock (stopped)
        {
            spans = stopped.ToList();
        }

        Activity send = Assert.Single(spans, s => s.DisplayName == "send trace-in");
        Activity process = Assert.Single(spans, s => s.DisplayName == "process trace-in" && s.GetTagItem(KappaTracing.MessagingKafkaOffset) is not null);
        Activity outputSend = Assert.Single(spans, s => s.DisplayName == "send trace-out.v1");
        Assert.Equal((parent.TraceId, parent.SpanId), (send.TraceId, send.ParentSpanId));
        Assert.Equal((parent.TraceId, send.SpanId), (process.TraceId, process.ParentSpanId));
        Assert.Equal(process.SpanId, outputSend.ParentSpanId);
        Assert.Equal((parent.TraceId, outputSend.SpanId), (carried.TraceId, carried.SpanId));
    }
}
