using System.Diagnostics;
using Kappa.Processing;
using Kappa.Transport;

namespace Kappa.Runtime.Tests.Processing;

/// <summary>The W3C trace context in record headers: what is accepted and what is not (W3C Trace Context, level 1).</summary>
public sealed class TraceContextTests
{
    private const string Valid = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    [Fact]
    public void A_valid_traceparent_and_tracestate_are_read_as_a_remote_context()
    {
        var headers = new RecordHeadersWriter().Add("traceparent", "00-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-bbbbbbbbbbbbbbbb-00").Add("traceparent", Valid).Add("tracestate", "congo=t61rcWkgMzE");

        Assert.True(KappaTracing.TryExtract(new RecordHeaders(headers.Encoded), out ActivityContext context));

        // The last traceparent wins (Kafka's lastHeader), as ActivityContext.TryParse reads it.
        Assert.True(ActivityContext.TryParse(Valid, "congo=t61rcWkgMzE", isRemote: true, out ActivityContext expected));
        Assert.Equal(expected, context);
        Assert.Equal(ActivityTraceFlags.Recorded, context.TraceFlags);
        Assert.True(context.IsRemote);
    }

    [Theory]
    [InlineData("00-0AF7651916CD43DD8448EB211C80319C-B7AD6B7169203331-01")] // uppercase
    [InlineData("00-00000000000000000000000000000000-b7ad6b7169203331-01")] // zero trace id
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01")] // zero span id
    [InlineData("ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")] // version ff
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-extra")] // version 00 has no more fields
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331")] // no flags
    [InlineData("00_0af7651916cd43dd8448eb211c80319c_b7ad6b7169203331_01")]
    [InlineData("")]
    public void A_malformed_traceparent_is_ignored(string traceparent)
    {
        var headers = new RecordHeadersWriter().Add("traceparent", traceparent);
        Assert.False(KappaTracing.TryExtract(new RecordHeaders(headers.Encoded), out _));
    }

    [Fact]
    public void A_later_version_may_append_fields_and_missing_or_null_headers_are_no_context()
    {
        var later = new RecordHeadersWriter().Add("traceparent", "01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-03-what-the-future-holds");
        Assert.True(KappaTracing.TryExtract(new RecordHeaders(later.Encoded), out ActivityContext context));
        Assert.Equal(ActivityTraceFlags.Recorded, context.TraceFlags); // unknown flag bits are dropped

        Assert.False(KappaTracing.TryExtract(RecordHeaders.Empty, out _));
        Assert.False(KappaTracing.TryExtract(new RecordHeaders(new RecordHeadersWriter().Add("traceparent", (string?)null).Encoded), out _));
        Assert.False(KappaTracing.TryExtract(new RecordHeaders([0x02, 0x7F]), out _)); // malformed header encoding
    }
}
