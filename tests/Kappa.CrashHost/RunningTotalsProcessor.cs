using System.Globalization;
using System.Text;
using Kappa.Transport;

namespace Kappa.CrashHost;

/// <summary>
/// The processor under test: a running total per key, emitting the new total for every input record and writing
/// every change to a changelog topic. Exactly-once mode: each batch's outputs, changelog records and input offsets are
/// one transaction (<see cref="ITransactionalProducer"/>). At-least-once mode: flush, then commit the offsets.
/// State of a partition is restored from the changelog before its first record is processed: the newest changelog
/// record per key whose source offset is below the partition's resume offset. Changelog records at or beyond the resume
/// offset come from batches whose offsets were never committed (aborted or torn transactions); processing is
/// deterministic, so records below it that belong to aborted attempts carry the same value as the committed ones.
/// </summary>
public sealed class RunningTotalsProcessor : IDisposable
{
    private static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan OperationTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RestoreTimeout = TimeSpan.FromSeconds(60);
    private const int MaxRecoveries = 25;

    private readonly IKappaTransport _transport;
    private readonly HostArguments _args;
    private readonly TextWriter _out;
    private readonly Dictionary<int, Dictionary<string, long>> _state = new();
    private readonly Dictionary<int, long> _pending = new();      // next offset per partition in the open batch
    private readonly Dictionary<int, long> _committed = new();    // known committed position per assigned partition
    private readonly byte[] _outputValue = new byte[CrashRecords.OutputValueSize];
    private readonly byte[] _changelogValue = new byte[CrashRecords.ChangelogValueSize];
    private IKappaConsumer? _consumer;
    private IKappaProducer? _producer;
    private int _batchRecords;
    private bool _inTransaction;
    private long _committedRecords;
    private int _batches;

    public RunningTotalsProcessor(IKappaTransport transport, HostArguments args, TextWriter progress)
    {
        _transport = transport;
        _args = args;
        _out = progress;
    }

    /// <summary>Runs until cancelled (finishing and committing the batch in hand) or, with --until-caught-up, until every input partition is committed up to its end.</summary>
    public void Run(CancellationToken cancellationToken)
    {
        int inputPartitions = _transport.GetPartitionCount(_args.Input)
            ?? throw new InvalidOperationException($"Input topic '{_args.Input}' does not exist on {_transport.Description}.");
        foreach (string topic in new[] { _args.Output, _args.Changelog })
        {
            int? count = _transport.GetPartitionCount(topic);
            if (count != inputPartitions)
            {
                throw new InvalidOperationException($"Topic '{topic}' must exist with {inputPartitions} partition(s) (as the input) on {_transport.Description}; it has {count?.ToString(CultureInfo.InvariantCulture) ?? "none"}.");
            }
        }

        var deadline = DateTime.UtcNow + _args.MaxRunTime;
        int recoveries = 0;
        Start();
        while (!cancellationToken.IsCancellationRequested)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Not caught up after {_args.MaxRunTime} ({_committedRecords} records committed).");
            }

            try
            {
                if (_consumer!.TryConsume(PollTimeout, out ConsumedRecord record))
                {
                    Process(record);
                    if (_batchRecords >= _args.BatchSize)
                    {
                        CommitBatch();
                    }
                }
                else if (_batchRecords > 0)
                {
                    CommitBatch();
                }
                else if (_args.UntilCaughtUp && CaughtUp(inputPartitions))
                {
                    Say($"caught-up records={_committedRecords} batches={_batches}");
                    Stop();
                    return;
                }
            }
            catch (KappaTransportException e) when (e is not KappaFencedException && recoveries < MaxRecoveries)
            {
                recoveries++;
                Say($"recover attempt={recoveries} error={OneLine(e)}");
                Recover();
            }
        }

        if (_batchRecords > 0)
        {
            CommitBatch();
        }

        Say($"stopped records={_committedRecords} batches={_batches}");
        Stop();
    }

    private void Start()
    {
        var consumerProperties = new Dictionary<string, string>();
        var producerProperties = new Dictionary<string, string>();
        if (_args.KafkaBootstrap is not null)
        {
            // A killed instance's partitions move after the session timeout; keep it short for tests.
            consumerProperties["session.timeout.ms"] = "6000";
            consumerProperties["heartbeat.interval.ms"] = "1000";
            // A rebalance waits for every member up to this long; a killed member never rejoins.
            consumerProperties["max.poll.interval.ms"] = "10000";
            // A killed instance's open transaction blocks read_committed readers until it times out (real clusters).
            producerProperties["transaction.timeout.ms"] = "10000";
        }

        var producerSettings = new ProducerSettings { ClientId = _args.TransactionalId, TransportProperties = producerProperties };
        if (_args.ExactlyOnce)
        {
            var producer = _transport.CreateTransactionalProducer(producerSettings, _args.TransactionalId);
            _producer = producer;
            producer.InitTransactions(OperationTimeout);
        }
        else
        {
            _producer = _transport.CreateProducer(producerSettings);
        }

        _consumer = _transport.CreateConsumer(new ConsumerSettings
        {
            GroupId = _args.Group,
            ClientId = _args.TransactionalId,
            ReadCommitted = true,
            OnAssigned = parts => Say("assigned " + Partitions(parts)),
            OnRevoked = OnRevoked,
            TransportProperties = consumerProperties,
        });
        _consumer.Subscribe(new[] { _args.Input });
        Say($"ready delivery={(_args.ExactlyOnce ? "exactly-once" : "at-least-once")} transport={_transport.Description}");
    }

    private void OnRevoked(IReadOnlyList<TopicPartition> parts)
    {
        // Commit everything processed so far before the partitions move, then forget their state.
        if (_batchRecords > 0)
        {
            CommitBatch();
        }

        foreach (var tp in parts)
        {
            _state.Remove(tp.Partition);
            _committed.Remove(tp.Partition);
        }

        Say("revoked " + Partitions(parts));
    }

    private void Process(in ConsumedRecord record)
    {
        int partition = record.Partition;
        if (!_state.TryGetValue(partition, out var totals))
        {
            totals = Restore(partition, record.Offset);
            _state[partition] = totals;
        }

        long amount = CrashRecords.ReadAmount(record.Value, record.Topic, partition, record.Offset);
        string key = Encoding.UTF8.GetString(record.Key);
        totals.TryGetValue(key, out long total);
        total += amount;
        totals[key] = total;

        if (_args.ExactlyOnce && !_inTransaction)
        {
            ((ITransactionalProducer)_producer!).BeginTransaction();
            _inTransaction = true;
        }

        CrashRecords.WriteOutput(_outputValue, partition, record.Offset, total);
        _producer!.Produce(new OutgoingRecord(_args.Output, record.Key, _outputValue) { Partition = partition, TimestampMs = record.TimestampMs });
        CrashRecords.WriteChangelog(_changelogValue, record.Offset, total);
        _producer.Produce(new OutgoingRecord(_args.Changelog, record.Key, _changelogValue) { Partition = partition, TimestampMs = record.TimestampMs });
        _pending[partition] = record.Offset + 1;
        _batchRecords++;
    }

    private void CommitBatch()
    {
        var offsets = _pending.OrderBy(p => p.Key).Select(p => new TopicPartitionOffset(_args.Input, p.Key, p.Value)).ToList();
        if (_args.ExactlyOnce)
        {
            var producer = (ITransactionalProducer)_producer!;
            producer.SendOffsetsToTransaction(offsets, _consumer!, OperationTimeout);
            producer.CommitTransaction(OperationTimeout);
            _inTransaction = false;
        }
        else
        {
            _producer!.Flush();
            _consumer!.Commit(offsets);
        }

        foreach (var o in offsets)
        {
            _committed[o.Partition] = o.Offset;
        }

        _committedRecords += _batchRecords;
        _batches++;
        Say($"committed records={_committedRecords} batch={_batchRecords} positions={string.Join(',', offsets.Select(o => o.Partition.ToString(CultureInfo.InvariantCulture) + ":" + o.Offset.ToString(CultureInfo.InvariantCulture)))}");
        _batchRecords = 0;
        _pending.Clear();
    }

    private Dictionary<string, long> Restore(int partition, long resumeOffset)
    {
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        var sources = new Dictionary<string, long>(StringComparer.Ordinal);
        var tp = new TopicPartition(_args.Changelog, partition);
        var watermarks = _transport.GetWatermarks(tp);
        long read = 0, skipped = 0;
        if (watermarks.High > watermarks.Low)
        {
            using var restore = _transport.CreateConsumer(new ConsumerSettings
            {
                GroupId = _args.Group + ".restore",
                ClientId = _args.TransactionalId + ".restore",
                ReadCommitted = false,
            });
            restore.Assign(new[] { new TopicPartitionOffset(tp.Topic, partition, -2) });
            var deadline = DateTime.UtcNow + RestoreTimeout;
            long last = -1;
            var idleSince = DateTime.UtcNow;
            while (true)
            {
                if (restore.TryConsume(TimeSpan.FromMilliseconds(100), out ConsumedRecord r))
                {
                    idleSince = DateTime.UtcNow;
                    last = r.Offset;
                    read++;
                    var (source, total) = CrashRecords.ReadChangelog(r.Value);
                    string key = Encoding.UTF8.GetString(r.Key);
                    if (source >= resumeOffset)
                    {
                        skipped++;
                    }
                    else if (!sources.TryGetValue(key, out long known) || source >= known)
                    {
                        sources[key] = source;
                        totals[key] = total;
                    }

                    if (last + 1 >= watermarks.High)
                    {
                        break;
                    }
                }
                else if (last + 2 >= watermarks.High && DateTime.UtcNow - idleSince > TimeSpan.FromMilliseconds(300))
                {
                    break; // the partition ends with a transaction marker, which is never delivered
                }

                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"Restoring {tp} did not reach its end offset {watermarks.High} within {RestoreTimeout} (last offset read: {last}).");
                }
            }

            restore.Close();
        }

        Say($"restored partition={partition} resume={resumeOffset} keys={totals.Count} read={read} skipped={skipped} end={watermarks.High}");
        return totals;
    }

    private bool CaughtUp(int inputPartitions)
    {
        var assignment = _consumer!.Assignment;
        if (assignment.Count < inputPartitions)
        {
            return false;
        }

        foreach (var tp in assignment)
        {
            if (!_committed.TryGetValue(tp.Partition, out long position))
            {
                long? committed = _consumer.Committed(tp);
                if (committed is null)
                {
                    return false;
                }

                position = committed.Value;
                _committed[tp.Partition] = position;
            }

            if (position < _transport.GetWatermarks(tp).High)
            {
                return false;
            }
        }

        return true;
    }

    private void Recover()
    {
        // Whatever the open batch did is discarded: abort (best effort), drop all state, rejoin from the committed offsets.
        try
        {
            if (_inTransaction)
            {
                ((ITransactionalProducer)_producer!).AbortTransaction(OperationTimeout);
            }
        }
        catch (Exception e) when (e is KappaTransportException or InvalidOperationException)
        {
            Say("abort-failed " + OneLine(e)); // the clients are rebuilt below either way
        }

        _inTransaction = false;
        _batchRecords = 0;
        _pending.Clear();
        _state.Clear();
        _committed.Clear();
        DisposeClients();
        Start();
    }

    private void Stop()
    {
        _consumer?.Close();
        DisposeClients();
    }

    private void DisposeClients()
    {
        try
        {
            _consumer?.Dispose();
        }
        finally
        {
            _consumer = null;
            _producer?.Dispose();
            _producer = null;
        }
    }

    private void Say(string line) => _out.WriteLine(line);

    private static string Partitions(IReadOnlyList<TopicPartition> parts) =>
        string.Join(',', parts.Select(p => p.Partition).Order().Select(p => p.ToString(CultureInfo.InvariantCulture)));

    private static string OneLine(Exception e) => e.Message.ReplaceLineEndings(" ");

    public void Dispose() => DisposeClients();
}
