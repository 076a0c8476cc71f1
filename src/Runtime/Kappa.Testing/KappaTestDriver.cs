using System.Runtime.ExceptionServices;
using System.Text;
using Kappa.Avro;
using Kappa.Avro.Registry;
using Kappa.Log;
using Kappa.Processing;
using Kappa.State;
using Kappa.Transport;

namespace Kappa.Testing;

/// <summary>
/// Runs one generated processor for a test: the real <see cref="ProcessorRunner"/> with the processor's generated
/// dispatcher, its real state stores, changelogs, transactions and dead-letter path, on an <see cref="InMemoryTransport"/>
/// or a temporary embedded log (<see cref="KappaTestDriverOptions.Storage"/>). Each <c>Pipe</c> call appends a record to
/// an input topic and returns once the processor has processed and committed everything piped so far, so outputs, dead
/// letters and state can be read at once. Time is explicit: records carry the timestamp the test gives them (or
/// <see cref="CurrentTime"/>). The runner runs on a thread of its own between calls; a driver is used from one thread.
/// Framework-neutral: failures are exceptions (<see cref="KappaTestException"/>, or the runner's own
/// <see cref="ProcessorFaultedException"/>).
/// </summary>
public abstract class KappaTestDriver : IDisposable
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(5);

    private readonly IKappaTransport _transport;
    private readonly IKappaProducer _inputs;
    private readonly string? _directory;
    private RunnerGate? _gate;
    private CancellationTokenSource? _stop;
    private Thread? _thread;
    private ProcessorRunner? _runner;
    private Exception? _failure;
    private bool _disposed;

    private protected KappaTestDriver(ProcessorDescriptor descriptor, KappaTestDriverOptions? options)
    {
        Options = options ?? new KappaTestDriverOptions();
        Options.Validate();
        Descriptor = descriptor;
        CurrentTime = Options.StartTime;
        if (descriptor.NeedsSchemaRegistry)
        {
            // Confluent-framed inputs or outputs: the test's registry, or a fresh in-memory one.
            Options.Processor.SchemaRegistry ??= new InMemorySchemaRegistry();
        }

        if (Options.Storage == TestStorage.EmbeddedLog)
        {
            _directory = Path.Combine(Path.GetTempPath(), "kappa-test-" + Guid.NewGuid().ToString("N"));
            _transport = new EmbeddedLogTransport(new EmbeddedLogOptions
            {
                Directory = _directory,
                DefaultPartitions = Options.InputPartitions,
                MaintenanceInterval = null,
                FsyncPolicy = FsyncPolicy.Never, // a throwaway log: the durable code path, without waiting for the disk

            });
        }
        else
        {
            _transport = new InMemoryTransport();
        }

        _transport.EnsureTopics(descriptor.InputTopics.Select(t => new TopicSpec(t, Options.InputPartitions)).ToArray());
        // Piped records carry the trace context of the caller's activity when the Kappa source is traced.
        _inputs = new TracingProducer(_transport.CreateProducer(new ProducerSettings { ClientId = "kappa-test-driver" }), ownsInner: true);
    }

    /// <summary>The processor version under test: its topics, group and stores.</summary>
    public ProcessorDescriptor Descriptor { get; }

    public KappaTestDriverOptions Options { get; }

    /// <summary>The transport the processor runs on (an <see cref="InMemoryTransport"/> or an embedded log), e.g. to write inputs of other shapes.</summary>
    public IKappaTransport Transport => _transport;

    /// <summary>
    /// The schema registry of a processor with Confluent-framed inputs or outputs (<see cref="ValueFormat.ConfluentAvro"/>):
    /// <see cref="ProcessorOptions.SchemaRegistry"/> of <see cref="KappaTestDriverOptions.Processor"/>, or a fresh
    /// <see cref="InMemorySchemaRegistry"/> when the test set none. Null for a processor without framed values.
    /// </summary>
    public ISchemaRegistry? SchemaRegistry => Options.Processor.SchemaRegistry;

    /// <summary>The timestamp of records piped without one. Only the test moves it.</summary>
    public DateTimeOffset CurrentTime { get; set; }

    /// <summary>How many times the processor was started (1 after construction, one more per <see cref="Restart"/>).</summary>
    public int Starts { get; private set; }

    /// <summary>Moves <see cref="CurrentTime"/> forward (or back: a late record is a record with an older timestamp).</summary>
    public void AdvanceTime(TimeSpan by) => CurrentTime += by;

    /// <summary>
    /// Pipes one record into <paramref name="topic"/> (an input topic of the processor) and processes it: the value
    /// encoded as Avro (for a <see cref="ValueFormat.ConfluentAvro"/> input: framed, with <typeparamref name="TIn"/>'s schema
    /// registered in <see cref="SchemaRegistry"/> under <c>{topic}-value</c>), the key as UTF-8 (null for a null key), the timestamp <paramref name="timestamp"/> or
    /// <see cref="CurrentTime"/>, into <paramref name="partition"/> or where Kafka's partitioner puts the key.
    /// </summary>
    public void Pipe<TIn>(string topic, TIn value, string? key = null, DateTimeOffset? timestamp = null, int partition = -1, IEnumerable<KeyValuePair<string, string?>>? headers = null)
        where TIn : IAvroRecord<TIn>
    {
        ArgumentNullException.ThrowIfNull(value);
        PipeRaw(topic, key is null ? null : Encoding.UTF8.GetBytes(key), EncodeInput(topic, value), timestamp, partition, TestHeaders.FromText(headers));
    }

    /// <summary>Pipes several records into one topic, then processes them together (in batches, as a running processor would).</summary>
    public void PipeAll<TIn>(string topic, IEnumerable<(string? Key, TIn Value)> records, DateTimeOffset? timestamp = null)
        where TIn : IAvroRecord<TIn>
    {
        ArgumentNullException.ThrowIfNull(records);
        foreach (var (key, value) in records)
        {
            ArgumentNullException.ThrowIfNull(value);
            Append(topic, key is null ? null : Encoding.UTF8.GetBytes(key), EncodeInput(topic, value), timestamp, -1, null);
        }

        Process();
    }

    /// <summary>
    /// Pipes raw bytes and processes them: for keys that are not text, tombstones (<paramref name="value"/> null) and
    /// records that do not decode (poison records, which the processor dead-letters).
    /// </summary>
    public void PipeRaw(string topic, byte[]? key, byte[]? value, DateTimeOffset? timestamp = null, int partition = -1, IEnumerable<KeyValuePair<string, byte[]?>>? headers = null)
    {
        Append(topic, key, value, timestamp, partition, headers);
        Process();
    }

    /// <summary>
    /// Every record of a sink's output topic, partition by partition in offset order, decoded as <typeparamref name="TOut"/>
    /// (a <see cref="ValueFormat.ConfluentAvro"/> sink: through its framing and <see cref="SchemaRegistry"/>).
    /// </summary>
    public IReadOnlyList<TestRecord<TOut>> ReadOutputs<TOut>(string sink)
        where TOut : IAvroRecord<TOut>
    {
        string topic = OutputTopic(sink);
        ConfluentAvroDecoder<TOut>? framed = Descriptor.OutputFormat(sink) == ValueFormat.ConfluentAvro ? new ConfluentAvroDecoder<TOut>(SchemaRegistry!) : null;
        Process();
        var records = new List<TestRecord<TOut>>();
        foreach (InMemoryRecord record in ReadTopic(topic))
        {
            TOut value;
            try
            {
                byte[] bytes = record.Value ?? throw new KappaTestException($"Output {topic}-{record.Partition}@{record.Offset} is a tombstone.");
                value = framed is null ? AvroSerializer.Deserialize<TOut>(bytes) : framed.Decode(bytes);
            }
            catch (Exception error) when (error is AvroDecodeException or FramedAvroException)
            {
                throw new KappaTestException($"Output {topic}-{record.Partition}@{record.Offset} does not decode as {typeof(TOut).Name}: {error.Message}", error);
            }

            records.Add(new TestRecord<TOut>(topic, record.Partition, record.Offset, record.Key, value, record.TimestampMs, TestHeaders.Decode(record.Headers)));
        }

        return records;
    }

    /// <summary>Every record the processor sent to its dead-letter topic, with the reason.</summary>
    public IReadOnlyList<TestDeadLetter> ReadDeadLetters()
    {
        Process();
        return ReadTopic(Descriptor.DeadLetterTopic)
            .Select(r => new TestDeadLetter(r.Offset, r.Key, r.Value, r.TimestampMs, TestHeaders.Decode(r.Headers)))
            .ToList();
    }

    /// <summary>The state of <paramref name="key"/> (UTF-8) in <paramref name="store"/>, or false when the key has none.</summary>
    public bool TryGetState<TState>(string store, string key, out TState state)
        where TState : IProcessorState<TState>
    {
        ArgumentNullException.ThrowIfNull(key);
        return TryGetState(store, Encoding.UTF8.GetBytes(key), out state);
    }

    /// <summary>The state of a binary key in <paramref name="store"/>, or false when the key has none.</summary>
    public bool TryGetState<TState>(string store, byte[] key, out TState state)
        where TState : IProcessorState<TState>
    {
        ArgumentNullException.ThrowIfNull(key);
        foreach (KeyValueStore<TState> partition in Stores<TState>(store))
        {
            if (partition.TryGetValue(key, out state))
            {
                return true;
            }
        }

        state = default!;
        return false;
    }

    /// <summary>The state of <paramref name="key"/>; throws <see cref="KappaTestException"/> when the key has none.</summary>
    public TState GetState<TState>(string store, string key)
        where TState : IProcessorState<TState> =>
        TryGetState(store, key, out TState state) ? state : throw new KappaTestException($"Store '{store}' of {Descriptor.Id} has no state for key '{key}'.");

    /// <summary>Every key with state in <paramref name="store"/> (all partitions), in ordinal key order per partition.</summary>
    public IReadOnlyList<KeyValuePair<byte[], TState>> ReadState<TState>(string store)
        where TState : IProcessorState<TState> =>
        Stores<TState>(store).SelectMany(s => s.EnumerateOrdered()).ToList();

    /// <summary>
    /// Stops the processor and starts a new instance (from the factory) on the same topics, as after a crash: it resumes
    /// from the committed offsets and restores its state from the changelogs (unless <see cref="ProcessorOptions.StateDirectory"/>
    /// is set in <see cref="KappaTestDriverOptions.Processor"/>: then from the snapshots written on stop, as in production).
    /// Also the way to go on after the processor stopped with a failure.
    /// </summary>
    public void Restart()
    {
        ThrowIfDisposed();
        StopRunner();
        StartRunner();
    }

    /// <summary>Processes everything piped so far; throws the runner's failure if it stopped.</summary>
    public void Process()
    {
        ThrowIfDisposed();
        if (_gate is null)
        {
            StartRunner();
            return;
        }

        if (_failure is not null)
        {
            throw new KappaTestException($"{Descriptor.Id} stopped with {_failure.GetType().Name}: {_failure.Message} Call Restart() to run a new instance.", _failure);
        }

        Exception? failure;
        try
        {
            failure = _gate.RunUntilIdle(InputEnd(), Options.Timeout);
        }
        catch (TimeoutException timeout)
        {
            throw new KappaTestException($"{Descriptor.Id}: {timeout.Message} (KappaTestDriverOptions.Timeout is {Options.Timeout}).", timeout);
        }

        if (failure is not null)
        {
            _failure = failure;
            ExceptionDispatchInfo.Capture(failure).Throw();
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        StopRunner();
        _inputs.Dispose();
        _transport.Dispose();
        if (_directory is not null && Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>A runner for a new instance of the processor on <paramref name="transport"/>.</summary>
    private protected abstract ProcessorRunner CreateRunner(IKappaTransport transport);

    /// <summary>Starts the first runner; called by the typed driver's constructor.</summary>
    private protected void StartRunner()
    {
        var gate = new RunnerGate();
        ProcessorRunner runner = CreateRunner(new ParkingTransport(_transport, gate));
        var stop = new CancellationTokenSource();
        var thread = new Thread(() =>
        {
            Exception? failure = null;
            try
            {
                runner.Run(stop.Token);
            }
            catch (Exception error)
            {
                failure = error;
            }
            finally
            {
                gate.Exited(failure);
            }
        })
        {
            IsBackground = true,
            Name = "kappa-test " + Descriptor.Id,
        };
        _gate = gate;
        _stop = stop;
        _runner = runner;
        _thread = thread;
        _failure = null;
        Starts++;
        thread.Start();
        Process();
    }

    private void StopRunner()
    {
        if (_thread is null)
        {
            return;
        }

        _stop!.Cancel();
        _gate!.Stop();
        if (!_thread.Join(Options.Timeout))
        {
            // A handler that never returns: leave the (background) thread behind rather than hang the test run.
            _thread = null;
            _runner = null;
            _stop = null;
            return;
        }

        _stop.Dispose();
        _thread = null;
        _runner = null;
        _stop = null;
    }

    private void Append(string topic, byte[]? key, byte[]? value, DateTimeOffset? timestamp, int partition, IEnumerable<KeyValuePair<string, byte[]?>>? headers)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(topic);
        if (!Descriptor.InputTopics.Contains(topic, StringComparer.Ordinal))
        {
            throw new KappaTestException($"'{topic}' is not an input topic of {Descriptor.Id}; its inputs are: {string.Join(", ", Descriptor.InputTopics)}.");
        }

        int partitions = _transport.GetPartitionCount(topic) ?? 0;
        if (partition >= partitions)
        {
            throw new ArgumentOutOfRangeException(nameof(partition), partition, $"Input topic '{topic}' has {partitions} partition(s) (KappaTestDriverOptions.InputPartitions).");
        }

        byte[] encodedHeaders = TestHeaders.Encode(headers);
        _inputs.Produce(new OutgoingRecord(topic, key, value)
        {
            KeyIsNull = key is null,
            ValueIsNull = value is null,
            TimestampMs = (timestamp ?? CurrentTime).ToUnixTimeMilliseconds(),
            Partition = partition,
            EncodedHeaders = encodedHeaders,
        });
        _inputs.Flush();
    }

    private long InputEnd()
    {
        long end = 0;
        foreach (string topic in Descriptor.InputTopics)
        {
            int partitions = _transport.GetPartitionCount(topic) ?? 0;
            for (int p = 0; p < partitions; p++)
            {
                end += _transport.GetWatermarks(new TopicPartition(topic, p)).High;
            }
        }

        return end;
    }

    private byte[] EncodeInput<TIn>(string topic, TIn value)
        where TIn : IAvroRecord<TIn>
    {
        if (!Descriptor.InputTopics.Contains(topic, StringComparer.Ordinal) || Descriptor.InputFormat(topic) == ValueFormat.Avro)
        {
            return AvroSerializer.SerializeToArray(value);
        }

        // The registry call completes at once for the in-memory registry; a remote one is awaited here, once per topic and type.
        return new ConfluentAvroEncoder<TIn>(SchemaRegistry!).SerializeAsync(value, topic).AsTask().GetAwaiter().GetResult();
    }

    private string OutputTopic(string sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        for (int i = 0; i < Descriptor.Sinks.Count; i++)
        {
            if (string.Equals(Descriptor.Sinks[i], sink, StringComparison.Ordinal))
            {
                return Descriptor.OutputTopics[i];
            }
        }

        throw new KappaTestException($"{Descriptor.Id} has no sink '{sink}'; its sinks are: {(Descriptor.Sinks.Count == 0 ? "(none)" : string.Join(", ", Descriptor.Sinks))}.");
    }

    /// <summary>The committed records of a topic, read outside any group.</summary>
    private List<InMemoryRecord> ReadTopic(string topic)
    {
        var records = new List<InMemoryRecord>();
        int partitions = _transport.GetPartitionCount(topic) ?? 0;
        using IKappaConsumer consumer = _transport.CreateConsumer(new ConsumerSettings { GroupId = "kappa-test-driver.reader", ReadCommitted = true });
        for (int p = 0; p < partitions; p++)
        {
            var tp = new TopicPartition(topic, p);
            WatermarkOffsets marks = _transport.GetWatermarks(tp);
            if (marks.High <= marks.Low)
            {
                continue;
            }

            consumer.Assign([new TopicPartitionOffset(topic, p, marks.Low)]);
            while (consumer.Position(tp) < marks.High && consumer.TryConsume(ReadTimeout, out ConsumedRecord record))
            {
                records.Add(new InMemoryRecord(record.Topic, record.Partition, record.Offset, record.KeyIsNull ? null : record.Key.ToArray(), record.ValueIsNull ? null : record.Value.ToArray(), record.TimestampMs, record.Headers.Encoded.ToArray()));
            }
        }

        consumer.Close();
        return records;
    }

    private IEnumerable<KeyValueStore<TState>> Stores<TState>(string store)
        where TState : IProcessorState<TState>
    {
        ArgumentNullException.ThrowIfNull(store);
        int index = -1;
        for (int i = 0; i < Descriptor.Stores.Count; i++)
        {
            if (string.Equals(Descriptor.Stores[i].Name, store, StringComparison.Ordinal))
            {
                index = i;
            }
        }

        if (index < 0)
        {
            throw new KappaTestException($"{Descriptor.Id} has no state store '{store}'; its stores are: {(Descriptor.Stores.Count == 0 ? "(none: it is stateless)" : string.Join(", ", Descriptor.Stores.Select(s => s.Name)))}.");
        }

        if (Descriptor.Stores[index].StateType != typeof(TState))
        {
            throw new KappaTestException($"Store '{store}' of {Descriptor.Id} holds {Descriptor.Stores[index].StateType.FullName}, not {typeof(TState).FullName}.");
        }

        Process();
        StateStoreSet set = _runner?.State ?? throw new KappaTestException($"{Descriptor.Id} is not running.");
        var stores = new List<KeyValueStore<TState>>();
        int partitions = Descriptor.InputTopics.Max(t => _transport.GetPartitionCount(t) ?? 0);
        for (int p = 0; p < partitions; p++)
        {
            if (set.Find(index, p) is KeyValueStore<TState> found)
            {
                stores.Add(found);
            }
        }

        return stores;
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
