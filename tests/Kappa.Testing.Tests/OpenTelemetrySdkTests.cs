using System.Diagnostics;
using Kappa.Processing;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Kappa.Testing.Tests;

/// <summary>
/// The OpenTelemetry SDK set up as docs/observability.md shows (AddSource("Kappa"), a parent-based sampler), with the
/// in-memory exporter: a record piped under a test activity is processed in that trace and its output carries the
/// context of the output's send span.
/// </summary>
[Collection(TracingCollection.Name)]
public sealed class OpenTelemetrySdkTests
{
    [Fact]
    public void The_sdk_exports_the_processing_and_send_spans_of_a_piped_record_in_the_callers_trace()
    {
        var exported = new List<Activity>();
        using var source = new ActivitySource("Kappa.Testing.Tests.Sdk");
        using (TracerProvider tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource(KappaTracing.ActivitySourceName, source.Name)
            .SetSampler(new ParentBasedSampler(new AlwaysOnSampler()))
            .AddInMemoryExporter(exported)
            .Build())
        using (var driver = new KappaTestDriver<Balances>(() => new Balances()))
        {
            ActivityContext parent;
            using (Activity request = source.StartActivity("request")!)
            {
                parent = request.Context;
                driver.Pipe("payments", new Payment("p1", 7), key: "acct-sdk", timestamp: new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
            }

            TestRecord<Balance> output = Assert.Single(driver.ReadOutputs<Balance>("balances"));
            Assert.True(ActivityContext.TryParse(output.Header(KappaTracing.TraceParentHeader), null, out ActivityContext carried));
            tracing.ForceFlush();
            tracing.Dispose();

            // Keep this trace's spans (the SDK listens to every processor).
            List<Activity> trace = exported.Where(a => a.TraceId == parent.TraceId).ToList();

            Activity pipeSend = Assert.Single(trace, a => a.DisplayName == "send payments");
            Activity process = Assert.Single(trace, a => a.DisplayName == "process payments" && a.GetTagItem(KappaTracing.MessagingKafkaOffset) is not null);
            Activity outputSend = Assert.Single(trace, a => a.DisplayName == "send balances.v1");
            Assert.Equal(parent.SpanId, pipeSend.ParentSpanId);
            Assert.Equal((parent.TraceId, pipeSend.SpanId), (process.TraceId, process.ParentSpanId));
            Assert.Equal("acct-sdk", process.GetTagItem(KappaTracing.MessagingKafkaKey));
            Assert.Equal(process.SpanId, outputSend.ParentSpanId);
            Assert.Equal((parent.TraceId, outputSend.SpanId), (carried.TraceId, carried.SpanId));
        }
    }
}
