using Confluent.Kafka;
using Kappa.Transport;
using CTopicPartitionOffset = Confluent.Kafka.TopicPartitionOffset;
using KTopicPartitionOffset = Kappa.Transport.TopicPartitionOffset;

namespace Kappa.Kafka;

/// <summary>
/// A Kafka transactional producer (<c>transactional.id</c>, idempotent, the plain producer's partitioning and record
/// handling). Errors are classified once: fencing becomes <see cref="KappaFencedException"/> and sticks; abortable errors
/// become a <see cref="KappaTransportException"/> saying the transaction must be aborted and retried; retriable errors are
/// retried until the operation's timeout. Offsets are sent with the consumer's group metadata (KIP-447).
/// </summary>
internal sealed class KafkaTransactionalProducer : KafkaProducer, ITransactionalProducer
{
    /// <summary>How long past its own timeout a librdkafka transactional call may take before the client counts as stuck.</summary>
    internal static readonly TimeSpan StuckGrace = TimeSpan.FromSeconds(5);

    private const string CallThreadName = "kappa transactional calls";

    private readonly string _transactionalId;
    private readonly bool _emulateOffsetCommit;
    private readonly List<(KafkaConsumer Consumer, List<KTopicPartitionOffset> Offsets)> _sentOffsets = new();
    private State _state = State.Uninitialized;
    private string? _abortReason;
    private KappaFencedException? _fenced;

    // The client was replaced after a call on it never returned; the new one needs InitTransactions (done by the abort).
    private bool _replacedClient;

    // Makes the timed librdkafka calls, so that one that never returns can be left behind.
    private CallThread _calls = new(CallThreadName);

    internal KafkaTransactionalProducer(KafkaTransportOptions options, ProducerSettings settings, string transactionalId)
        : base(
            options,
            $"transactional producer '{transactionalId}' on {options.BootstrapServers}",
            () => KafkaConfig.TransactionalProducer(options, settings.ClientId, transactionalId, settings.TransportProperties))
    {
        _transactionalId = transactionalId;
        _emulateOffsetCommit = options.EmulateTransactionalOffsetCommit;
    }

    private enum State
    {
        Uninitialized,
        Ready,
        InTransaction,
        MustAbort,
    }

    public void InitTransactions(TimeSpan timeout)
    {
        ThrowIfFenced();
        if (_state != State.Uninitialized)
        {
            throw new InvalidOperationException($"InitTransactions was already called on the {Description}; call it once, before the first transaction.");
        }

        Run("initialize transactions", timeout, remaining => Client.InitTransactions(remaining));
        _state = State.Ready;
    }

    public void BeginTransaction()
    {
        ThrowIfFenced();
        ThrowIfFatal();
        switch (_state)
        {
            case State.Uninitialized:
                throw new InvalidOperationException($"Call InitTransactions before BeginTransaction on the {Description}.");
            case State.InTransaction:
                throw new InvalidOperationException($"The {Description} already has an open transaction; commit or abort it first.");
            case State.MustAbort:
                throw MustAbortError("begin a transaction");
        }

        Run("begin a transaction", Timeout.InfiniteTimeSpan, _ => Client.BeginTransaction());
        _sentOffsets.Clear();
        _state = State.InTransaction;
    }

    public void SendOffsetsToTransaction(IReadOnlyList<KTopicPartitionOffset> offsets, IKappaConsumer consumer, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        ArgumentNullException.ThrowIfNull(consumer);
        if (consumer is not KafkaConsumer kafkaConsumer)
        {
            throw new ArgumentException(
                $"The {Description} can only send offsets for a consumer of the same Kafka transport, not a {consumer.GetType().Name}.", nameof(consumer));
        }

        foreach (KTopicPartitionOffset offset in offsets)
        {
            if (string.IsNullOrEmpty(offset.Topic) || offset.Partition < 0 || offset.Offset < 0)
            {
                throw new ArgumentException(
                    $"Cannot send {offset} to the transaction of the {Description}: offsets are next positions to read (>= 0) of a named topic's partition (>= 0).",
                    nameof(offsets));
            }
        }

        ThrowIfFenced();
        RequireOpenTransaction("send offsets");
        if (offsets.Count == 0)
        {
            return;
        }

        IConsumerGroupMetadata metadata = kafkaConsumer.GroupMetadata;
        List<CTopicPartitionOffset> converted = offsets.Select(o => new CTopicPartitionOffset(o.Topic, new Partition(o.Partition), new Offset(o.Offset))).ToList();
        Run(
            $"send offsets {string.Join(", ", offsets)} of group '{kafkaConsumer.GroupId}'",
            timeout,
            remaining => Client.SendOffsetsToTransaction(converted, metadata, remaining));
        if (_emulateOffsetCommit)
        {
            _sentOffsets.Add((kafkaConsumer, offsets.ToList()));
        }
    }

    public void CommitTransaction(TimeSpan timeout)
    {
        ThrowIfFenced();
        RequireOpenTransaction("commit");

        // Every record must be acknowledged before the commit: a record that failed puts the transaction in the abortable
        // state, and committing offsets without their records would lose them.
        long deadline = Deadline(timeout);
        WaitForDeliveriesOrFence(timeout, "commit the transaction");
        ThrowIfFatal();
        (string? failure, int count, bool allPurged) = DeliveryFailures();
        if (failure is not null && !allPurged)
        {
            // The cluster rejected a record: the transaction is incomplete, do not even ask to commit it.
            _state = State.MustAbort;
            _abortReason = $"{count} record(s) of the transaction could not be delivered; the first failure: {failure}";
            throw MustAbortError("commit");
        }

        // Records purged by librdkafka mean the transaction had already failed (abortable or fatal); librdkafka's commit
        // refuses such a transaction and reports the cause, which Run classifies.
        Run("commit the transaction", Remaining(deadline), remaining => Client.CommitTransaction(remaining));
        if (failure is not null)
        {
            _state = State.Ready;
            ForgetDeliveryFailures();
            throw new KappaTransportException(
                $"The {Description} committed a transaction although {count} of its record(s) were purged before delivery (first: {failure}); "
                + "librdkafka should have refused the commit, so these records are missing from the committed transaction.");
        }

        _state = State.Ready;
        CommitSentOffsetsDirectly();
    }

    public void AbortTransaction(TimeSpan timeout)
    {
        ThrowIfFenced();
        if (_state is not (State.InTransaction or State.MustAbort))
        {
            throw new InvalidOperationException($"The {Description} has no transaction to abort (call BeginTransaction first).");
        }

        if (!_replacedClient)
        {
            try
            {
                Run("abort the transaction", timeout, remaining => Client.AbortTransaction(remaining));

                // Outstanding records were purged by the abort; wait for their (failed) delivery reports and forget them.
                WaitForDeliveriesOrFence(timeout, "abort the transaction");
                ForgetDeliveryFailures();
            }
            catch (KafkaClientStuckException)
            {
                // The stuck client was replaced: initializing the new one aborts the transaction instead (below).
            }
        }

        if (_replacedClient)
        {
            // The abandoned client's transaction is given up: InitTransactions on the new client (same transactional id)
            // makes the coordinator abort it and fences the old client.
            Run("initialize transactions on the new client", timeout, remaining => Client.InitTransactions(remaining));
            _replacedClient = false;
        }

        _sentOffsets.Clear();
        _state = State.Ready;
        _abortReason = null;
    }

    protected override KappaTransportException ProduceFailed(string message, Error error, Exception inner)
    {
        if (KafkaErrors.IsFencing(error))
        {
            return Fence($"{message} The {Description} was fenced: another producer with transactional id '{_transactionalId}' has taken over.", inner);
        }

        // The record is not part of the transaction: committing would lose it.
        _state = State.MustAbort;
        _abortReason = message;
        return new KappaTransportException($"{message} The transaction of '{_transactionalId}' must be aborted (AbortTransaction) and retried.", inner);
    }

    protected override void DisposeExtras() => _calls.Dispose();

    protected override void BeforeProduce()
    {
        ThrowIfFenced();
        RequireOpenTransaction("produce");
    }

    protected override KappaTransportException DeliveryFailed(string message)
    {
        if (_state == State.InTransaction)
        {
            _state = State.MustAbort;
            _abortReason = message;
        }

        return new KappaTransportException($"{message} The transaction of '{_transactionalId}' must be aborted (AbortTransaction) and retried.");
    }

    protected override void ThrowIfFatal()
    {
        ThrowIfFenced();
        if (FatalError is { } fatal)
        {
            string message = $"The {Description} hit a fatal error during a transaction and cannot continue: {fatal.Reason} ({fatal.Code}).";
            if (KafkaErrors.IsFencing(fatal))
            {
                throw Fence($"The {Description} was fenced: another producer with transactional id '{_transactionalId}' has taken over ({fatal.Reason}, {fatal.Code}). "
                    + "Stop processing the partitions this instance owned; create a new producer only if this instance should take them back.");
            }

            throw new KappaTransportException(message);
        }
    }

    private void Run(string operation, TimeSpan timeout, Action<TimeSpan> action)
    {
        long deadline = Deadline(timeout);
        while (true)
        {
            try
            {
                CallWatched(operation, Remaining(deadline), action);
                return;
            }
            catch (KafkaTxnRequiresAbortException ex) when (!KafkaErrors.IsFencing(ex.Error))
            {
                _state = State.MustAbort;
                _abortReason = $"{ex.Error.Reason} ({ex.Error.Code})";
                throw new KappaTransportException(
                    $"The {Description} could not {operation}: {ex.Error.Reason} ({ex.Error.Code}). The transaction of '{_transactionalId}' must be aborted (AbortTransaction) and retried.",
                    ex);
            }
            catch (KafkaRetriableException ex) when (!KafkaErrors.IsFencing(ex.Error) && (deadline == long.MaxValue || Environment.TickCount64 < deadline))
            {
                // librdkafka: a retriable error leaves the transaction as it was; the same call may be made again.
                Thread.Sleep((int)Math.Clamp(deadline - Environment.TickCount64, 0, 100));
            }
            catch (KafkaRetriableException ex) when (!KafkaErrors.IsFencing(ex.Error))
            {
                throw new KappaTransportException(
                    $"The {Description} could not {operation} within {timeout}: {ex.Error.Reason} ({ex.Error.Code}). "
                    + $"The call may be repeated; the transaction of '{_transactionalId}' is unchanged.",
                    ex);
            }
            catch (KafkaException ex) when (KafkaErrors.IsFencing(ex.Error) || FencingFatalError() is not null)
            {
                Error error = FencingFatalError() ?? ex.Error;
                throw Fence(
                    $"The {Description} was fenced while trying to {operation}: another producer with transactional id '{_transactionalId}' has taken over "
                    + $"({error.Reason}, {error.Code}). Stop processing the partitions this instance owned; nothing of its open transaction will be committed.",
                    ex);
            }
            catch (KafkaException ex) when (ex.Error.IsFatal)
            {
                throw new KappaTransportException(
                    $"The {Description} hit a fatal error trying to {operation} and cannot continue: {ex.Error.Reason} ({ex.Error.Code}). Create a new producer.",
                    ex);
            }
            catch (KafkaException ex)
            {
                throw new KappaTransportException($"The {Description} could not {operation}: {ex.Error.Reason} ({ex.Error.Code}).", ex);
            }
        }
    }

    /// <summary>
    /// Makes one librdkafka transactional call with <paramref name="timeout"/> and waits for it at most that long plus
    /// <see cref="StuckGrace"/>. librdkafka 2.16 does not always return in time: <c>send_offsets_to_transaction</c>
    /// waits forever when the group coordinator it cached was decommissioned (the broker was missing from a Metadata
    /// response, as a broker that is down is) - its coordinator request waits for that broker handle to come up, which
    /// never happens, and the request's timeout is never checked (librdkafka issues #5511 and #5456). A call that does
    /// not return is left running on its own thread (<see cref="CallThread"/>), the client is abandoned (see <see cref="KafkaProducer.AbandonClient"/>)
    /// and replaced, and the transaction must be aborted (which initializes the new client). Calls without a timeout
    /// are made directly.
    /// </summary>
    private void CallWatched(string operation, TimeSpan timeout, Action<TimeSpan> action)
    {
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            action(timeout);
            return;
        }

        if (_calls.TryRun(() => action(timeout), timeout + StuckGrace))
        {
            return;
        }

        // The thread stays with the call that does not return (and ends if it ever does); the next call gets a new one.
        _calls.Dispose();
        _calls = new CallThread(CallThreadName);
        string reason = $"librdkafka did not return from the call to {operation} within {timeout} + {StuckGrace}";
        AbandonClient();
        _replacedClient = true;
        if (_state is State.InTransaction or State.MustAbort)
        {
            _state = State.MustAbort;
            _abortReason = reason;
        }

        throw new KafkaClientStuckException(
            $"The {Description} could not {operation}: {reason} (a known librdkafka 2.16 hang after a broker outage, see docs/kafka.md). "
            + $"The client was replaced by a new one; the transaction of '{_transactionalId}' must be aborted (AbortTransaction) and retried.");
    }

    /// <summary>
    /// <see cref="KafkaTransportOptions.EmulateTransactionalOffsetCommit"/> (mock cluster only): the transaction committed,
    /// now make its offsets the group's positions with a plain commit, since the mock does not store transactional offsets.
    /// </summary>
    private void CommitSentOffsetsDirectly()
    {
        if (_sentOffsets.Count == 0)
        {
            return;
        }

        List<(KafkaConsumer Consumer, List<KTopicPartitionOffset> Offsets)> sent = _sentOffsets.ToList();
        _sentOffsets.Clear();
        foreach ((KafkaConsumer consumer, List<KTopicPartitionOffset> offsets) in sent)
        {
            try
            {
                consumer.Commit(offsets);
            }
            catch (Exception ex) when (ex is KappaTransportException or InvalidOperationException or ObjectDisposedException)
            {
                throw new KappaTransportException(
                    $"The transaction of the {Description} committed, but committing its offsets {string.Join(", ", offsets)} for group '{consumer.GroupId}' "
                    + $"directly (EmulateTransactionalOffsetCommit, for the mock cluster) failed: {ex.Message} The inputs will be read again after a restart.",
                    ex);
            }
        }
    }

    private Error? FencingFatalError() => FatalError is { } fatal && KafkaErrors.IsFencing(fatal) ? fatal : null;

    private void WaitForDeliveriesOrFence(TimeSpan timeout, string operation)
    {
        using var limit = new CancellationTokenSource();
        if (timeout != Timeout.InfiniteTimeSpan)
        {
            limit.CancelAfter(timeout);
        }

        try
        {
            WaitForDeliveries(limit.Token);
        }
        catch (KappaFencedException ex)
        {
            _fenced ??= ex;
            throw;
        }
        catch (OperationCanceledException ex)
        {
            throw new KappaTransportException(
                $"The {Description} could not {operation} within {timeout}: records of the transaction are still awaiting delivery. "
                + $"The call may be repeated; the transaction of '{_transactionalId}' is unchanged.",
                ex);
        }
    }

    private void RequireOpenTransaction(string operation)
    {
        switch (_state)
        {
            case State.InTransaction:
                return;
            case State.MustAbort:
                throw MustAbortError(operation);
            case State.Uninitialized:
                throw new InvalidOperationException($"Cannot {operation} on the {Description}: call InitTransactions, then BeginTransaction.");
            default:
                throw new InvalidOperationException($"Cannot {operation} on the {Description}: no transaction is open (call BeginTransaction).");
        }
    }

    private KappaTransportException MustAbortError(string operation) =>
        new($"Cannot {operation} on the {Description}: its transaction failed ({_abortReason}) and must be aborted (AbortTransaction) and retried.");

    private KappaFencedException Fence(string message, Exception? inner = null)
    {
        _fenced ??= inner is null ? new KappaFencedException(message) : new KappaFencedException(message, inner);
        return _fenced;
    }

    private void ThrowIfFenced()
    {
        if (_fenced is { } fenced)
        {
            throw new KappaFencedException(fenced.Message, fenced);
        }
    }

    private static long Deadline(TimeSpan timeout) =>
        timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : Environment.TickCount64 + (long)Math.Max(0, timeout.TotalMilliseconds);

    private static TimeSpan Remaining(long deadline) =>
        deadline == long.MaxValue ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(Math.Max(0, deadline - Environment.TickCount64));
}
