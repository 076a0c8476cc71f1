using BenchmarkDotNet.Attributes;
using Kappa.Avro;
using Kappa.Log;
using Kappa.Processing;
using Kappa.State;
using Kappa.Transport;

namespace Kappa.Benchmarks.State;

/// <summary>
/// Rebuilding state by replaying 1,000,000 input records from the embedded log, against the raw replay read rate of the
/// same log through the same transport consumer (the baseline). One operation = one record (OperationsPerInvoke).
/// Inputs: 8-byte keys cycling over <see cref="Keys"/> distinct keys (the store's working set), Avro values of a struct
/// record; the state is a struct.
/// Run: dotnet run -c Release --project tests/Kappa.Benchmarks -- --filter '*StateRebuildBenchmarks*'
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class StateRebuildBenchmarks
{
    public const int Records = 1_000_000;

    [Params(1_000, 10_000, 100_000)]
    public int Keys { get; set; }

    /// <summary>EmbeddedLogOptions.ReadAhead: the consumer reads on its own thread (the default) or on the caller's.</summary>
    [Params(true, false)]
    public bool ReadAhead { get; set; }

    private const string Input = "bench-units";

    private const string Changelog = "bench-count-units.v1.count-changelog";

    private string _directory = null!;
    private EmbeddedLogTransport _transport = null!;
    private IKappaConsumer _consumer = null!;
    private IProcessorDispatcher _dispatcher = null!;
    private StateStoreSet _stores = null!;
    private KeyValueStore<BenchCount> _warm = null!;
    private readonly NoOutputs _noOutputs = new();

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "kappa-state-rebuild-bench", Guid.NewGuid().ToString("N"));
        _transport = new EmbeddedLogTransport(new EmbeddedLogOptions { Directory = _directory, FsyncPolicy = FsyncPolicy.Never, MaintenanceInterval = null, ReadAhead = ReadAhead });
        _transport.EnsureTopics([new TopicSpec(Input, 1), new TopicSpec(Changelog, 1, Compacted: true)]);
        using (IKappaProducer producer = _transport.CreateProducer(new ProducerSettings()))
        {
            Span<byte> key = stackalloc byte[8];
            var state = new BenchCount();
            var stateBuffer = new System.Buffers.ArrayBufferWriter<byte>(64);
            for (int i = 0; i < Records; i++)
            {
                BitConverter.TryWriteBytes(key, (long)(i % Keys));
                byte[] value = AvroSerializer.SerializeToArray(new BenchUnit { Sequence = i, Amount = i % 97 });
                producer.Produce(new OutgoingRecord(Input, key, value) { Partition = 0, TimestampMs = 1_700_000_000_000 + i });

                // A changelog as long as the input (the worst case: nothing compacted yet).
                state.Count = (i / Keys) + 1;
                state.Sum += i % 97;
                stateBuffer.Clear();
                StateSerializer.Serialize(in state, stateBuffer);
                producer.Produce(new OutgoingRecord(Changelog, key, stateBuffer.WrittenSpan) { Partition = 0 });
                if (i % 10_000 == 9_999)
                {
                    producer.Flush();
                }
            }

            producer.Flush();
        }

        _consumer = _transport.CreateConsumer(new ConsumerSettings { GroupId = "bench" });
        _dispatcher = BenchCountUnits.CreateKappaDispatcher(new BenchCountUnits());
        _stores = new StateStoreSet(BenchCountUnits.KappaDescriptor.Stores);
        _dispatcher.AttachState(_stores);
        _warm = new KeyValueStore<BenchCount>();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _dispatcher.Dispose();
        _consumer.Dispose();
        _transport.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>The raw replay read rate: the transport consumer over the input records, no decoding.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Records)]
    public long RawReplay()
    {
        _consumer.Assign([new TopicPartitionOffset(Input, 0, 0)]);
        long sum = 0;
        for (int i = 0; i < Records; i++)
        {
            if (!_consumer.TryConsume(TimeSpan.Zero, out ConsumedRecord record))
            {
                throw new InvalidOperationException($"Replay ended early at record {i}.");
            }

            sum += record.Value.Length + 1;
        }

        return sum;
    }

    /// <summary>Rebuild from the inputs into a new, empty store: read, decode, call the handler with the key's state by ref.</summary>
    [Benchmark(OperationsPerInvoke = Records)]
    public long RebuildFromInputs() => Replay(new KeyValueStore<BenchCount>());

    /// <summary>The same into a store that already has every key (the steady stateful path: 0 B per record).</summary>
    [Benchmark(OperationsPerInvoke = Records)]
    public long ReplayIntoWarmStore() => Replay(_warm);

    /// <summary>Restore from a 1,000,000-record changelog: read, decode each state value, put it in the store.</summary>
    [Benchmark(OperationsPerInvoke = Records)]
    public long RestoreFromChangelog()
    {
        var store = new KeyValueStore<BenchCount>();
        _consumer.Assign([new TopicPartitionOffset(Changelog, 0, 0)]);
        for (int i = 0; i < Records; i++)
        {
            if (!_consumer.TryConsume(TimeSpan.Zero, out ConsumedRecord record))
            {
                throw new InvalidOperationException($"Restore ended early at record {i}.");
            }

            store.Apply(record.Key, record.Value, record.ValueIsNull);
        }

        return store.Count;
    }

    private long Replay(KeyValueStore<BenchCount> store)
    {
        _stores.Attach(0, [store]);
        _consumer.Assign([new TopicPartitionOffset(Input, 0, 0)]);
        for (int i = 0; i < Records; i++)
        {
            if (!_consumer.TryConsume(TimeSpan.Zero, out ConsumedRecord record))
            {
                throw new InvalidOperationException($"Replay ended early at record {i}.");
            }

            _dispatcher.Dispatch(in record, _noOutputs);
        }

        store.MarkClean(-1);
        return store.Count;
    }

    private sealed class NoOutputs : IKappaProducer
    {
        public void Produce(in OutgoingRecord record) => throw new InvalidOperationException("The state-only processor has no outputs.");

        public void Flush(CancellationToken cancellationToken = default)
        {
        }

        public void Dispose()
        {
        }
    }
}
