using System.Reflection;
using System.Runtime.InteropServices;
using Confluent.Kafka;
using Kappa.Buffers;
using Kappa.Kafka.Native;
using Kappa.Transport;
using CTopicPartition = Confluent.Kafka.TopicPartition;
using CTopicPartitionOffset = Confluent.Kafka.TopicPartitionOffset;
using KTopicPartition = Kappa.Transport.TopicPartition;
using KTopicPartitionOffset = Kappa.Transport.TopicPartitionOffset;

namespace Kappa.Kafka;

/// <summary>
/// A Kafka consumer: group membership, assignment, commits and rebalance callbacks through Confluent.Kafka; records are
/// read from the same librdkafka handle's consumer queue in batches (<c>rd_kafka_consume_batch_queue</c>, see
/// <see cref="FetchedMessages"/>; <c>rd_kafka_consumer_poll</c> only to wait when nothing is ready), so key, value and
/// headers are delivered as spans over librdkafka's own message (zero copies, no per-record allocation). The message is
/// released on the next call.
/// </summary>
internal sealed unsafe class KafkaConsumer : IKappaConsumer
{
    private const int ErrPartitionEof = -191;
    private const int ErrTimedOut = -185;

    private static readonly PropertyInfo HandleProperty =
        typeof(Handle).GetProperty("LibrdkafkaHandle", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)
        ?? throw new MissingMemberException("Confluent.Kafka.Handle.LibrdkafkaHandle not found: Kappa.Kafka needs Confluent.Kafka 2.16.");

    private readonly IConsumer<Ignore, Ignore> _consumer;
    private readonly ConsumerSettings _settings;
    private readonly string _description;
    private readonly IntPtr _rk;
    private readonly PooledBufferWriter _headers = new(256);
    private readonly Dictionary<IntPtr, TopicName> _topicNames = new();
    private readonly FetchedMessages _fetched;
    private readonly Func<IntPtr, string> _topicOf;
    private IntPtr _lastTopicHandle;
    private TopicName _lastTopic = new(string.Empty, []);
    private RdKafkaMessage* _current;

    // Partitions revoked (and not assigned again) by a callback served inside the batch call that is filling _fetched:
    // none of their messages in that batch is delivered (librdkafka already drops those of an outdated assignment).
    private readonly HashSet<KTopicPartition> _revokedWhileFilling = new();

    // Pauses asked for inside the assigned callback (before Confluent applies the assignment, when librdkafka rejects a
    // pause with Local_Partial) wait here until the poll that ran the callback returns.
    private readonly HashSet<KTopicPartition> _deferredPauses = new();
    private readonly HashSet<KTopicPartition> _paused = new();

    // Fetched messages of a partition paused before they were delivered: delivered on resume, never dropped
    // (librdkafka already moved that partition's position past them).
    private readonly List<(KTopicPartition Partition, IntPtr Message)> _held = new();

    // Positions librdkafka's own position() cannot tell: the offsets partitions were assigned at, until a record of the
    // partition is delivered (before, librdkafka's position is unset or still the previous assignment's), and the end
    // offsets of partition-EOF events (past transaction markers and aborted records, which are never delivered).
    // Cleared whenever a partition's assignment changes.
    private readonly Dictionary<KTopicPartition, long> _assignedAt = new();
    private readonly Dictionary<KTopicPartition, long> _reachedEnd = new();
    private bool _inAssignedCallback;
    private Exception? _handlerFailure;
    private Error? _fatal;
    private bool _closed;
    private bool _disposed;

    internal KafkaConsumer(KafkaTransportOptions options, ConsumerSettings settings)
    {
        ArgumentException.ThrowIfNullOrEmpty(settings.GroupId);
        _settings = settings;
        _description = $"consumer of group '{settings.GroupId}' on {options.BootstrapServers}";
        Dictionary<string, string> config = KafkaConfig.Consumer(options, settings.GroupId, settings.ClientId, settings.StartFrom, settings.TransportProperties, settings.ReadCommitted);
        _consumer = KafkaClients.Build(_description, () => new ConsumerBuilder<Ignore, Ignore>(config)
            .SetPartitionsAssignedHandler((_, partitions) => OnAssignedCallback(partitions))
            .SetPartitionsRevokedHandler((_, partitions) => OnRevokedCallback(partitions.Select(p => p.TopicPartition).ToList()))
            .SetErrorHandler((_, error) => KafkaClients.OnError(options, _description, error, ref _fatal))
            .SetLogHandler((_, m) => KafkaClients.OnLog(options, m))
            .Build());

        _rk = NativeHandle(_consumer.Handle);
        _topicOf = Topic;
        try
        {
            _fetched = new FetchedMessages(_rk, _description);
        }
        catch
        {
            _consumer.Dispose();
            throw;
        }
    }

    public IReadOnlyList<KTopicPartition> Assignment
    {
        get
        {
            ThrowIfUnusable();
            return _consumer.Assignment.Select(p => new KTopicPartition(p.Topic, p.Partition.Value)).ToList();
        }
    }

    /// <summary>The consumer's group.</summary>
    internal string GroupId => _settings.GroupId;

    internal string Description => _description;

    /// <summary>Records and events fetched from librdkafka and not delivered yet, paused ones not counted (for tests).</summary>
    internal int Buffered => _fetched.Count;

    /// <summary>
    /// Records and events fetched from the brokers and not delivered yet: this consumer's buffer plus librdkafka's
    /// consumer queue (benchmarks wait on it to start reading with the topic already fetched).
    /// </summary>
    internal long FetchedAhead
    {
        get
        {
            ThrowIfUnusable();
            return _fetched.Count + _fetched.Queued;
        }
    }

    /// <summary>The librdkafka handle (rd_kafka_t*) behind a Confluent.Kafka client's handle.</summary>
    internal static IntPtr NativeHandle(Handle handle) =>
        HandleProperty.GetValue(handle) is SafeHandle native
            ? native.DangerousGetHandle()
            : throw new KappaTransportException("Confluent.Kafka's client exposes no librdkafka handle: Kappa.Kafka needs Confluent.Kafka 2.16.");

    /// <summary>
    /// The group metadata (group id, generation, member id) a transactional producer sends with its offsets, so the group
    /// coordinator rejects offsets from a member that has been rebalanced away (KIP-447).
    /// </summary>
    internal IConsumerGroupMetadata GroupMetadata
    {
        get
        {
            ThrowIfUnusable();
            try
            {
                return _consumer.ConsumerGroupMetadata
                    ?? throw new KappaTransportException($"The {_description} has no consumer group metadata.");
            }
            catch (KafkaException ex)
            {
                throw new KappaTransportException($"The {_description} could not provide its consumer group metadata: {ex.Error.Reason} ({ex.Error.Code}).", ex);
            }
        }
    }

    public void Subscribe(IReadOnlyCollection<string> topics)
    {
        ArgumentNullException.ThrowIfNull(topics);
        if (topics.Count == 0 || topics.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException("Subscribe needs at least one topic and no empty names.", nameof(topics));
        }

        ThrowIfUnusable();
        Wrap(() => _consumer.Subscribe(topics), $"subscribe to {string.Join(", ", topics)}");
    }

    public void Assign(IReadOnlyCollection<KTopicPartitionOffset> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        ThrowIfUnusable();
        ReleaseCurrent();

        // Everything fetched belongs to the assignment being replaced (and is behind the new offsets' positions).
        _fetched.DestroyAll();
        DropHeld(_ => true);
        Wrap(
            () => _consumer.Assign(partitions.Select(p => new CTopicPartitionOffset(p.Topic, new Partition(p.Partition), new Offset(p.Offset)))),
            $"assign {string.Join(", ", partitions)}");
        _assignedAt.Clear();
        _reachedEnd.Clear();
        foreach (KTopicPartitionOffset p in partitions)
        {
            if (p.Offset >= 0)
            {
                _assignedAt[p.TopicPartition] = p.Offset;
            }
        }
    }

    public bool TryConsume(TimeSpan timeout, out ConsumedRecord record)
    {
        ThrowIfUnusable();
        ReleaseCurrent();
        if (TryTakeHeld(out RdKafkaMessage* held))
        {
            _current = held;
            if (_assignedAt.Count != 0)
            {
                ForgetAssignedOffset(held);
            }

            record = Build(held);
            return true;
        }

        long timeoutMs = timeout == Timeout.InfiniteTimeSpan ? -1 : (long)Math.Max(0, timeout.TotalMilliseconds);

        // The deadline is read from the clock only once the buffer runs empty: most calls take a buffered record and
        // never wait, so they skip the clock read (about one call in 128 fetches).
        long deadline = 0;
        bool deadlineSet = false;
        while (true)
        {
            RdKafkaMessage* message = _fetched.Take();
            if (message == null)
            {
                if (!deadlineSet)
                {
                    deadline = timeoutMs < 0 ? long.MaxValue : Environment.TickCount64 + timeoutMs;
                    deadlineSet = true;
                }

                message = Fetch(timeoutMs, deadline, out bool timedOut);
                if (message == null)
                {
                    if (timedOut)
                    {
                        record = default;
                        return false;
                    }

                    continue;
                }
            }

            if (message->Err != 0)
            {
                int err = message->Err;
                if (err == ErrPartitionEof && message->Rkt != IntPtr.Zero && message->Offset >= 0)
                {
                    // Everything before this offset was delivered or skipped (markers, aborted records).
                    _reachedEnd[new KTopicPartition(Topic(message->Rkt), message->Partition)] = message->Offset;
                }

                string where = message->Rkt != IntPtr.Zero ? $"{Topic(message->Rkt)}-{message->Partition}" : "the consumer";
                LibRdKafka.MessageDestroy(message);
                if (err is ErrPartitionEof or ErrTimedOut)
                {
                    continue;
                }

                throw new KappaTransportException($"The {_description} failed reading {where}: {LibRdKafka.ErrorText(err)} (error {err}).");
            }

            if (_paused.Count > 0)
            {
                var partition = new KTopicPartition(Topic(message->Rkt), message->Partition);
                if (_paused.Contains(partition))
                {
                    _held.Add((partition, (IntPtr)message));
                    continue;
                }
            }

            _current = message;
            if (_assignedAt.Count != 0)
            {
                ForgetAssignedOffset(message);
            }

            record = Build(message);
            return true;
        }
    }

    /// <summary>
    /// Refills the (empty) fetched buffer with what is ready, without waiting; when nothing is, waits for one message with
    /// <c>rd_kafka_consumer_poll</c> (a batch call would wait for a full batch or the whole timeout). Returns that message,
    /// or null with <paramref name="timedOut"/> false when the buffer has messages again.
    /// </summary>
    private RdKafkaMessage* Fetch(long timeoutMs, long deadline, out bool timedOut)
    {
        _fetched.FillReady();
        AfterPoll();
        timedOut = false;
        if (_fetched.Count > 0)
        {
            return null;
        }

        int wait = timeoutMs < 0 ? -1 : (int)Math.Clamp(deadline - Environment.TickCount64, 0, int.MaxValue);
        if (wait == 0)
        {
            ThrowIfFatal();
            timedOut = true;
            return null;
        }

        RdKafkaMessage* message = LibRdKafka.ConsumerPoll(_rk, wait);
        AfterPoll();
        if (message == null)
        {
            ThrowIfFatal();
            timedOut = Environment.TickCount64 >= deadline;
        }

        return message;
    }

    /// <summary>What every poll does once librdkafka returns, after the callbacks it served.</summary>
    private void AfterPoll()
    {
        ApplyDeferredPauses();
        if (_revokedWhileFilling.Count > 0)
        {
            DropRevokedWhileFilling();
        }

        RethrowHandlerFailure();
    }

    private void DropRevokedWhileFilling()
    {
        _fetched.DestroyWhere(_revokedWhileFilling.Contains, _topicOf);
        _revokedWhileFilling.Clear();
    }

    public long Position(KTopicPartition partition)
    {
        ThrowIfUnusable();
        try
        {
            foreach ((KTopicPartition held, IntPtr message) in _held)
            {
                if (held == partition)
                {
                    // Fetched but not delivered yet (paused): the position is that record.
                    return ((RdKafkaMessage*)message)->Offset;
                }
            }

            // Held records of a partition precede its buffered ones (they were taken from the buffer first).
            long buffered = _fetched.FirstOffset(partition, _topicOf);
            if (buffered >= 0)
            {
                return buffered;
            }

            long position;
            if (_assignedAt.TryGetValue(partition, out long assigned))
            {
                position = assigned;
            }
            else
            {
                Offset offset = _consumer.Position(new CTopicPartition(partition.Topic, new Partition(partition.Partition)));
                position = offset.IsSpecial ? -1 : offset.Value;
            }

            if (_reachedEnd.TryGetValue(partition, out long end))
            {
                position = Math.Max(position, end);
            }

            return position;
        }
        catch (KafkaException)
        {
            return -1;
        }
    }

    public void Pause(IReadOnlyCollection<KTopicPartition> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        ThrowIfUnusable();
        if (_inAssignedCallback)
        {
            // Confluent applies the assignment only after the callback returns; see ApplyDeferredPauses.
            _deferredPauses.UnionWith(partitions);
            return;
        }

        Wrap(() => _consumer.Pause(partitions.Select(p => new CTopicPartition(p.Topic, new Partition(p.Partition)))), $"pause {string.Join(", ", partitions)}");
        _paused.UnionWith(partitions);
    }

    public void Resume(IReadOnlyCollection<KTopicPartition> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        ThrowIfUnusable();
        var active = partitions.Where(p => !_deferredPauses.Remove(p)).ToList();
        if (active.Count > 0)
        {
            Wrap(() => _consumer.Resume(active.Select(p => new CTopicPartition(p.Topic, new Partition(p.Partition)))), $"resume {string.Join(", ", active)}");
        }

        _paused.ExceptWith(partitions);
    }

    public void Commit(IReadOnlyList<KTopicPartitionOffset> offsets)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        ThrowIfUnusable();
        if (offsets.Count == 0)
        {
            return;
        }

        foreach (KTopicPartitionOffset offset in offsets)
        {
            if (offset.Offset < 0)
            {
                throw new ArgumentException($"Cannot commit {offset}: a committed position is the next offset to read and must not be negative.", nameof(offsets));
            }
        }

        try
        {
            _consumer.Commit(offsets.Select(o => new CTopicPartitionOffset(o.Topic, new Partition(o.Partition), new Offset(o.Offset))));
        }
        catch (TopicPartitionOffsetException ex)
        {
            TopicPartitionOffsetError? failed = ex.Results.FirstOrDefault(r => r.Error.IsError);
            throw new KappaTransportException(
                $"The {_description} could not commit {failed?.TopicPartition}@{failed?.Offset}: {failed?.Error.Reason} ({failed?.Error.Code}).", ex);
        }
        catch (KafkaException ex)
        {
            throw new KappaTransportException($"The {_description} could not commit {string.Join(", ", offsets)}: {ex.Error.Reason} ({ex.Error.Code}).", ex);
        }
    }

    public long? Committed(KTopicPartition partition)
    {
        ThrowIfUnusable();
        try
        {
            List<CTopicPartitionOffset> result = _consumer.Committed(new[] { new CTopicPartition(partition.Topic, new Partition(partition.Partition)) }, TimeSpan.FromSeconds(30));
            Offset offset = result.Count > 0 ? result[0].Offset : Offset.Unset;
            return offset.IsSpecial ? null : offset.Value;
        }
        catch (KafkaException ex)
        {
            throw new KappaTransportException($"The {_description} could not read the committed offset of {partition}: {ex.Error.Reason} ({ex.Error.Code}).", ex);
        }
    }

    public void Close()
    {
        if (_closed || _disposed)
        {
            return;
        }

        ReleaseCurrent();
        DropHeld(_ => true);
        _fetched.DestroyAll();
        _closed = true;
        try
        {
            // Closing serves the revocation callback; nothing is fetched any more, so the queue reference goes first.
            _fetched.Dispose();
            _consumer.Close();
        }
        catch (KafkaException ex)
        {
            throw new KappaTransportException($"The {_description} did not leave its group cleanly: {ex.Error.Reason} ({ex.Error.Code}).", ex);
        }
        finally
        {
            RethrowHandlerFailure();
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        ReleaseCurrent();
        DropHeld(_ => true);
        _fetched.Dispose();
        _disposed = true;
        _consumer.Dispose();
        _headers.Dispose();
    }

    private ConsumedRecord Build(RdKafkaMessage* message)
    {
        int timestampType;
        long timestamp = LibRdKafka.MessageTimestamp(message, &timestampType);
        if (timestampType == 0)
        {
            timestamp = -1;
        }

        bool keyIsNull = message->Key == IntPtr.Zero;
        bool valueIsNull = message->Payload == IntPtr.Zero;
        var key = keyIsNull ? default : new ReadOnlySpan<byte>((void*)message->Key, checked((int)message->KeyLen));
        var value = valueIsNull ? default : new ReadOnlySpan<byte>((void*)message->Payload, checked((int)message->Len));
        return new ConsumedRecord(Topic(message->Rkt), message->Partition, message->Offset, timestamp, key, keyIsNull, value, valueIsNull, EncodeHeaders(message));
    }

    /// <summary>Re-encodes librdkafka's parsed headers into Kafka's record header encoding, in a reused buffer.</summary>
    private RecordHeaders EncodeHeaders(RdKafkaMessage* message)
    {
        IntPtr headers;
        if (LibRdKafka.MessageHeaders(message, &headers) != 0 || headers == IntPtr.Zero)
        {
            return RecordHeaders.Empty;
        }

        nuint count = LibRdKafka.HeaderCount(headers);
        if (count == 0)
        {
            return RecordHeaders.Empty;
        }

        _headers.Reset();
        WriteVarint((long)count);
        for (nuint i = 0; i < count; i++)
        {
            byte* name;
            byte* value;
            nuint size;
            if (LibRdKafka.HeaderGetAll(headers, i, &name, &value, &size) != 0)
            {
                throw new KappaTransportException($"The {_description} could not read header {i} of {count} of a record.");
            }

            ReadOnlySpan<byte> nameBytes = MemoryMarshal.CreateReadOnlySpanFromNullTerminated(name);
            WriteVarint(nameBytes.Length);
            Write(nameBytes);
            if (value == null)
            {
                WriteVarint(-1);
            }
            else
            {
                WriteVarint((long)size);
                Write(new ReadOnlySpan<byte>(value, checked((int)size)));
            }
        }

        return new RecordHeaders(_headers.WrittenSpan);
    }

    private void WriteVarint(long value) => _headers.Advance(Varint.Write(_headers.GetSpan(Varint.MaxLength64), value));

    private void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_headers.GetSpan(bytes.Length));
        _headers.Advance(bytes.Length);
    }

    /// <summary>The topic name of a librdkafka topic handle, cached (and re-checked against the native name, as handles can be reused).</summary>
    private string Topic(IntPtr rkt)
    {
        ReadOnlySpan<byte> native = MemoryMarshal.CreateReadOnlySpanFromNullTerminated(LibRdKafka.TopicName(rkt));

        // Consecutive records mostly share a topic: the last handle's name is checked before the dictionary.
        if (rkt == _lastTopicHandle && native.SequenceEqual(_lastTopic.Utf8))
        {
            return _lastTopic.Name;
        }

        if (!_topicNames.TryGetValue(rkt, out TopicName cached) || !native.SequenceEqual(cached.Utf8))
        {
            cached = new TopicName(System.Text.Encoding.UTF8.GetString(native), native.ToArray());
            _topicNames[rkt] = cached;
        }

        _lastTopicHandle = rkt;
        _lastTopic = cached;
        return cached.Name;
    }

    private void Notify(Action<IReadOnlyList<KTopicPartition>>? handler, List<CTopicPartition> partitions)
    {
        if (handler is null || _handlerFailure is not null)
        {
            return;
        }

        try
        {
            handler(partitions.Select(p => new KTopicPartition(p.Topic, p.Partition.Value)).ToList());
        }
        catch (Exception ex)
        {
            // Thrown inside a native callback: keep it and rethrow on the consuming thread once librdkafka returns.
            _handlerFailure = ex;
        }
    }

    private void RethrowHandlerFailure()
    {
        if (_handlerFailure is { } failure)
        {
            _handlerFailure = null;
            throw new KappaTransportException($"A partition assignment handler of the {_description} failed: {failure.Message}", failure);
        }
    }

    private void ThrowIfFatal()
    {
        if (_fatal is { } fatal)
        {
            throw new KappaTransportException($"The {_description} hit a fatal error and cannot continue: {fatal.Reason} ({fatal.Code}).");
        }
    }

    private void OnAssignedCallback(List<CTopicPartition> partitions)
    {
        var assigned = partitions.Select(p => new KTopicPartition(p.Topic, p.Partition.Value)).ToList();
        ForgetPositions(assigned);

        // Assigned again in the same batch call that revoked it: what that call fetches next is of the new assignment.
        _revokedWhileFilling.ExceptWith(assigned);
        _inAssignedCallback = true;
        try
        {
            Notify(_settings.OnAssigned, partitions);
        }
        finally
        {
            _inAssignedCallback = false;
        }
    }

    private void OnRevokedCallback(List<CTopicPartition> partitions)
    {
        // Nothing of a revoked partition is delivered once the handler ran: fetched messages go before it runs.
        var revoked = partitions.Select(p => new KTopicPartition(p.Topic, p.Partition.Value)).ToHashSet();
        DropHeld(revoked.Contains);
        if (_fetched.IsFilling)
        {
            // The batch being filled may already hold some; they are dropped when the call returns.
            _revokedWhileFilling.UnionWith(revoked);
        }
        else
        {
            _fetched.DestroyWhere(revoked.Contains, _topicOf);
        }

        Notify(_settings.OnRevoked, partitions);
        _deferredPauses.ExceptWith(revoked);
        _paused.ExceptWith(revoked);
        ForgetPositions(revoked);
    }

    /// <summary>A record of the partition is delivered: librdkafka's position of it is now this assignment's.</summary>
    private void ForgetAssignedOffset(RdKafkaMessage* delivered) =>
        _assignedAt.Remove(new KTopicPartition(Topic(delivered->Rkt), delivered->Partition));

    private void ForgetPositions(IEnumerable<KTopicPartition> partitions)
    {
        foreach (KTopicPartition tp in partitions)
        {
            _assignedAt.Remove(tp);
            _reachedEnd.Remove(tp);
        }
    }

    /// <summary>Pauses what the assigned callback asked to pause, now that the assignment is in place.</summary>
    private void ApplyDeferredPauses()
    {
        // Runs on every poll: the work is in another method, whose lambda's closure would otherwise be allocated on
        // every call, at entry, even when nothing is deferred (32 B per consumed record).
        if (_deferredPauses.Count > 0 && !_inAssignedCallback)
        {
            PauseDeferred();
        }
    }

    private void PauseDeferred()
    {
        var pending = _deferredPauses.ToList();
        _deferredPauses.Clear();
        Wrap(() => _consumer.Pause(pending.Select(p => new CTopicPartition(p.Topic, new Partition(p.Partition)))), $"pause {string.Join(", ", pending)}");
        _paused.UnionWith(pending);
    }

    private bool TryTakeHeld(out RdKafkaMessage* message)
    {
        for (int i = 0; i < _held.Count; i++)
        {
            if (!_paused.Contains(_held[i].Partition) && !_deferredPauses.Contains(_held[i].Partition))
            {
                message = (RdKafkaMessage*)_held[i].Message;
                _held.RemoveAt(i);
                return true;
            }
        }

        message = null;
        return false;
    }

    private void DropHeld(Func<KTopicPartition, bool> which)
    {
        for (int i = _held.Count - 1; i >= 0; i--)
        {
            if (which(_held[i].Partition))
            {
                LibRdKafka.MessageDestroy((RdKafkaMessage*)_held[i].Message);
                _held.RemoveAt(i);
            }
        }
    }

    private void ReleaseCurrent()
    {
        if (_current != null)
        {
            LibRdKafka.MessageDestroy(_current);
            _current = null;
        }
    }

    private void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_closed)
        {
            throw new InvalidOperationException($"The {_description} is closed.");
        }
    }

    private void Wrap(Action action, string what)
    {
        try
        {
            action();
        }
        catch (KafkaException ex)
        {
            throw new KappaTransportException($"The {_description} could not {what}: {ex.Error.Reason} ({ex.Error.Code}).", ex);
        }
    }

    private readonly record struct TopicName(string Name, byte[] Utf8);
}
