using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Kappa.Avro;
using Kappa.Benchmarks.State;
using Kappa.Processing;
using Kappa.Transport;

namespace Kappa.Benchmarks.Tracing;

/// <summary>
/// The cost of tracing per record: the real <see cref="ProcessorRunner"/> over <see cref="ReplayTransport"/> (no I/O),
/// a stateless struct processor, 100,000 records per invocation (one operation = one record). Baseline: no listener on
/// the Kappa source. Traced: a listener that records every span (batch, record, output send, trace headers written).
/// Sampled out: a listener whose sampler drops everything (what an app with tracing configured but not sampling pays).
/// <see cref="InputContext"/>: whether each input carries a <c>traceparent</c> header (parsed only when traced).
/// Run: dotnet run -c Release --project tests/Kappa.Benchmarks -- --filter '*TracingBenchmarks*'
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class TracingBenchmarks
{
    public const string Topic = "bench-trace-in";

    private const int Records = 100_000;

    private static readonly byte[] Key = "customer-0042"u8.ToArray();
    private static readonly byte[] Value = AvroSerializer.SerializeToArray(new BenchUnit { Sequence = 7, Amount = 1234 });

    private byte[] _headers = [];
    private ActivityListener? _listener;

    [Params(false, true)]
    public bool InputContext { get; set; }

    [GlobalSetup(Targets = [nameof(NoListener)])]
    public void SetupOff() => SetupHeaders();

    [GlobalSetup(Targets = [nameof(Traced)])]
    public void SetupTraced()
    {
        SetupHeaders();
        _listener = Listen(ActivitySamplingResult.AllDataAndRecorded);
    }

    [GlobalSetup(Targets = [nameof(SampledOut)])]
    public void SetupSampledOut()
    {
        SetupHeaders();
        _listener = Listen(ActivitySamplingResult.None);
    }

    [GlobalCleanup]
    public void Cleanup() => _listener?.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Records)]
    public int NoListener() => Run();

    [Benchmark(OperationsPerInvoke = Records)]
    public int Traced() => Run();

    [Benchmark(OperationsPerInvoke = Records)]
    public int SampledOut() => Run();

    private int Run()
    {
        var transport = new ReplayTransport(Key, Value, _headers, Records);
        var runner = ProcessorRunner.Create(new BenchNegate(), transport, new ProcessorOptions { MaxBatchSize = 1_000, PollTimeout = TimeSpan.FromMilliseconds(1) });
        runner.Run(transport.Stop.Token);
        if (transport.Produced != Records)
        {
            throw new InvalidOperationException($"Produced {transport.Produced} of {Records} records.");
        }

        return transport.Produced;
    }

    private void SetupHeaders()
    {
        _headers = InputContext
            ? new RecordHeadersWriter().Add(KappaTracing.TraceParentHeader, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01").Encoded.ToArray()
            : [];
    }

    private static ActivityListener Listen(ActivitySamplingResult sampling)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == KappaTracing.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => sampling,
            ActivityStopped = static _ => { },
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
