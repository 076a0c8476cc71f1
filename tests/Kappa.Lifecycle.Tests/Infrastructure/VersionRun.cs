using Kappa.Avro;
using Kappa.Processing;
using Kappa.Sinks;
using Kappa.Transport;

namespace Kappa.Lifecycle.Tests.Infrastructure;

/// <summary>
/// One processor version as a host runs it: its processor runner and the sink writer of its table, each on a thread,
/// until <see cref="Stop"/>. Every wait is bounded.
/// </summary>
public sealed class VersionRun<TRecord> : IDisposable
    where TRecord : ITableRecord<TRecord>, IAvroRecord<TRecord>
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Thread> _threads = new();
    private readonly List<Exception> _errors = new();

    private VersionRun(ProcessorRunner runner, SinkWriter<TRecord> writer, bool startWriter)
    {
        Runner = runner;
        Writer = writer;
        Start("processor " + runner.Descriptor.Id, () => runner.Run(_stop.Token));
        if (startWriter)
        {
            StartWriter();
        }
    }

    public ProcessorRunner Runner { get; }

    public SinkWriter<TRecord> Writer { get; }

    public string Id => Runner.Descriptor.Id;

    /// <param name="startWriter">False to run the processor alone; <see cref="StartWriter"/> starts the writer later.</param>
    /// <param name="guarantee">The processor's guarantee (default: the runner's default).</param>
    public static VersionRun<TRecord> Start<TProcessor>(TProcessor processor, IKappaTransport transport, ISinkDatabase database, bool startWriter = true, ProcessingGuarantee? guarantee = null)
        where TProcessor : class, IStreamProcessor<TProcessor>
    {
        ProcessorDescriptor descriptor = TProcessor.KappaDescriptor;
        var runner = ProcessorRunner.Create(processor, transport, new ProcessorOptions { InstanceId = "test", Guarantee = guarantee });
        var writer = new SinkWriter<TRecord>(transport, database, new SinkTarget(descriptor.Sinks[0], descriptor.Version), new SinkWriterOptions { RetryDelay = TimeSpan.FromMilliseconds(50), MaxRetryDelay = TimeSpan.FromMilliseconds(500), LagInterval = TimeSpan.FromMilliseconds(20) });
        return new VersionRun<TRecord>(runner, writer, startWriter);
    }

    /// <summary>Starts the sink writer of a run started without it.</summary>
    public void StartWriter() => Start("sink writer", () => Writer.Run(_stop.Token));

    public void ThrowIfFailed()
    {
        lock (_errors)
        {
            if (_errors.Count > 0)
            {
                throw new AggregateException("A thread of the version run failed.", _errors);
            }
        }
    }

    public void Stop()
    {
        _stop.Cancel();
        foreach (Thread thread in _threads)
        {
            Assert.True(thread.Join(TimeSpan.FromSeconds(60)), $"{thread.Name} did not stop");
        }

        ThrowIfFailed();
    }

    public void Dispose()
    {
        _stop.Cancel();
        foreach (Thread thread in _threads)
        {
            thread.Join(TimeSpan.FromSeconds(60));
        }

        _stop.Dispose();
    }

    private void Start(string name, Action body)
    {
        var thread = new Thread(() =>
        {
            try
            {
                body();
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                lock (_errors)
                {
                    _errors.Add(error);
                }
            }
        })
        { IsBackground = true, Name = name };
        _threads.Add(thread);
        thread.Start();
    }
}
