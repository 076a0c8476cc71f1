using System.Diagnostics;
using System.Globalization;
using Kappa.State;
using Kappa.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kappa.Processing;

/// <summary>
/// Runs one processor version on any <see cref="IKappaTransport"/>: ensures its output, dead-letter and changelog
/// topics, joins its consumer group, consumes in batches and dispatches each record. At-least-once: flush the producer,
/// then commit the batch's offsets. Exactly-once (<see cref="ProcessingGuarantee.ExactlyOnce"/>, the default for
/// stateful processors): one transaction per batch holding its outputs, its changelog writes and its input offsets.
/// Stateful processors get per-partition stores restored from their changelogs before any record of the partition is
/// processed (docs/state.md). Poison records go to the dead-letter topic; a throwing handler stops the processor (or is
/// dead-lettered, see <see cref="ProcessorOptions.OnHandlerError"/>). Runs on the calling thread until cancelled.
/// </summary>
public sealed class ProcessorRunner
{
    private readonly ProcessorDescriptor _descriptor;
    private readonly IProcessorDispatcher _dispatcher;
    private readonly IKappaTransport _transport;
    private readonly ProcessorOptions _options;
    private readonly ILogger _logger;
    private readonly Dictionary<TopicPartition, long> _pending = new();
    private readonly List<TopicPartitionOffset> _commitList = new();
    private readonly RecordHeadersWriter _dlqHeaders = new();
    private readonly KeyValuePair<string, object?> _tag;
    private readonly bool _exactlyOnce;
    private readonly string _transactionalId;
    private IKappaProducer? _producer;
    private ITransactionalProducer? _transactional;
    private IKappaConsumer? _consumer;
    private StateStoreSet? _state;
    private PartitionStateManager? _stateManager;
    private bool _inTransaction;
    private bool _rewind;
    private int _failedTransactions;
    private int _started;
    private bool _faulted;
    private int _pendingRecords;
    private long _batchOutputs;
    private long _batchDeadLettered;
    private long _totalRecords;
    private int _dlqPartitions;
    private readonly string _batchSpanName;
    private readonly string _deadLetterSpanName;
    private readonly Dictionary<string, string> _recordSpanNames = new(StringComparer.Ordinal);
    private TracingProducer? _tracingProducer;
    private Activity? _batchActivity;
    private Activity? _recordActivity;
    private int _batchRecords;

    public ProcessorRunner(IProcessorDispatcher dispatcher, IKappaTransport transport, ProcessorOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(dispatcher);
        ArgumentNullException.ThrowIfNull(transport);
        _dispatcher = dispatcher;
        _descriptor = dispatcher.Descriptor;
        _transport = transport;
        _options = options ?? new ProcessorOptions();
        _options.Validate();
        if (_descriptor.NeedsSchemaRegistry && _options.SchemaRegistry is null)
        {
            throw new InvalidOperationException(MissingRegistryMessage(_descriptor));
        }

        _logger = logger ?? NullLogger.Instance;
        _tag = new KeyValuePair<string, object?>(KappaMetrics.ProcessorTag, _descriptor.Id);
        _exactlyOnce = (_options.Guarantee ?? (_descriptor.IsStateful ? ProcessingGuarantee.ExactlyOnce : ProcessingGuarantee.AtLeastOnce)) == ProcessingGuarantee.ExactlyOnce;
        InstanceId = _options.InstanceId ?? DefaultInstanceId();
        _transactionalId = $"{_descriptor.ConsumerGroup}.{InstanceId}";
        _batchSpanName = "process " + string.Join(",", _descriptor.InputTopics);
        _deadLetterSpanName = "send " + _descriptor.DeadLetterTopic;
        foreach (string topic in _descriptor.InputTopics)
        {
            _recordSpanNames[topic] = "process " + topic;
        }
    }

    /// <summary>This instance's id within the group (<see cref="ProcessorOptions.InstanceId"/> or the machine name).</summary>
    public string InstanceId { get; }

    /// <summary>The transactional id of exactly-once runs: <c>{group}.{instance}</c>.</summary>
    public string TransactionalId => _transactionalId;

    /// <summary>True when this runner commits batches in transactions.</summary>
    public bool IsExactlyOnce => _exactlyOnce;

    /// <summary>The live stores (stateful processors, while running): for tests and diagnostics on the runner's thread.</summary>
    public StateStoreSet? State => _state;

    public ProcessorDescriptor Descriptor => _descriptor;

    /// <summary>The schema registry of its Confluent-framed inputs and outputs (<see cref="ProcessorOptions.SchemaRegistry"/>), or null.</summary>
    public Avro.Registry.ISchemaRegistry? SchemaRegistry => _options.SchemaRegistry;

    /// <summary>Input records processed so far (including dead-lettered ones).</summary>
    public long RecordsProcessed => Interlocked.Read(ref _totalRecords);

    /// <summary>Creates a runner for a generated processor.</summary>
    public static ProcessorRunner Create<TProcessor>(TProcessor processor, IKappaTransport transport, ProcessorOptions? options = null, ILogger? logger = null)
        where TProcessor : class, IStreamProcessor<TProcessor>
    {
        ArgumentNullException.ThrowIfNull(processor);
        return new ProcessorRunner(TProcessor.CreateKappaDispatcher(processor), transport, options, logger);
    }

    /// <summary>
    /// Processes records until <paramref name="cancellationToken"/> is cancelled, then finishes the current batch,
    /// flushes, commits and leaves the group. Throws <see cref="ProcessorFaultedException"/> when it has to stop early.
    /// A runner runs once.
    /// </summary>
    public void Run(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException($"Processor {_descriptor.Id}: a runner runs once; create a new one to run again.");
        }

        try
        {
            EnsureTopics();
            AttachSchemaRegistry(cancellationToken);
            ProcessorLog.Starting(_logger, _descriptor.Id, _transport.Description, string.Join(", ", _descriptor.InputTopics), string.Join(", ", _descriptor.OutputTopics), _descriptor.DeadLetterTopic, _descriptor.ConsumerGroup);
            var producerSettings = new ProducerSettings
            {
                ClientId = _options.ClientId,
                TransportProperties = _options.ProducerProperties,
            };
            using IKappaProducer producer = _exactlyOnce
                ? _transport.CreateTransactionalProducer(producerSettings, _transactionalId)
                : _transport.CreateProducer(producerSettings);
            _producer = producer;
            _tracingProducer = new TracingProducer(producer);
            if (_exactlyOnce)
            {
                _transactional = (ITransactionalProducer)producer;
                InitTransactions();
            }

            if (_descriptor.IsStateful)
            {
                _state = new StateStoreSet(_descriptor.Stores);
                _dispatcher.AttachState(_state);
                _stateManager = new PartitionStateManager(_descriptor, _transport, _options, _logger, _state);
            }

            while (RunConsumer(cancellationToken))
            {
                // The last transaction was aborted: its state is rolled back; a new consumer resumes from the committed offsets.
            }

            ProcessorLog.Stopped(_logger, _descriptor.Id, RecordsProcessed);
        }
        finally
        {
            _stateManager?.Dispose();
            _stateManager = null;
            _producer = null;
            _tracingProducer = null;
            _transactional = null;
            _consumer = null;
            _dispatcher.Dispose();
        }
    }

    /// <summary>Runs one consumer until cancelled (false) or until a transaction was aborted and the batch must be retried (true).</summary>
    private bool RunConsumer(CancellationToken cancellationToken)
    {
        using IKappaConsumer consumer = _transport.CreateConsumer(new ConsumerSettings
        {
            GroupId = _descriptor.ConsumerGroup,
            ClientId = _options.ClientId,
            StartFrom = _options.StartFrom,
            ReadCommitted = true,
            OnAssigned = OnAssigned,
            OnRevoked = OnRevoked,
            TransportProperties = _options.ConsumerProperties,
        });
        _consumer = consumer;
        _rewind = false;
        _faulted = false;
        try
        {
            consumer.Subscribe(_descriptor.InputTopics.ToArray());
            while (!cancellationToken.IsCancellationRequested && !_rewind)
            {
                if (_stateManager is { IsRestoring: true } manager)
                {
                    manager.RestoreChunk(consumer);
                }

                RunBatch(consumer, cancellationToken);
            }

            if (_rewind)
            {
                // Roll back: stores with uncommitted changes are dropped now, nothing is committed; every other partition is
                // released with the consumer (finally).
                _faulted = true;
                _pending.Clear();
                _pendingRecords = 0;
                _stateManager?.DiscardDirty();
                consumer.Close();
                return true;
            }

            // Graceful stop: the last batch is committed; leave the group so partitions move at once.
            consumer.Close();
            return false;
        }
        catch (Exception error)
        {
            // Nothing more may be committed after a failure: the revocation callback during Close must not commit.
            _faulted = true;
            _pending.Clear();
            AbortQuietly();
            _stateManager?.DiscardDirty();
            try
            {
                consumer.Close();
            }
            catch (Exception closeError) when (closeError is not OutOfMemoryException)
            {
                _logger.LogDebug(closeError, "Processor {Processor}: closing the consumer after a failure also failed", _descriptor.Id);
            }

            if (error is ProcessorFaultedException or OutOfMemoryException)
            {
                throw;
            }

            // A consumer or callback failure: surface it like the others, naming the processor.
            ProcessorLog.TransportFailed(_logger, error, _descriptor.Id, "consuming");
            throw new ProcessorFaultedException(_descriptor.Id, $"Processor {_descriptor.Id}: consuming from {string.Join(", ", _descriptor.InputTopics)} failed: {error.Message}", error);
        }
        finally
        {
            // No partition outlives its consumer, whether or not the transport called the revocation callback on Close.
            _stateManager?.RevokeAll();
            _consumer = null;
        }
    }

    /// <summary>The startup error of a processor with Confluent-framed inputs or outputs and no schema registry.</summary>
    internal static string MissingRegistryMessage(ProcessorDescriptor descriptor)
    {
        var framed = new List<string>();
        for (int i = 0; i < descriptor.InputTopics.Count; i++)
        {
            if (descriptor.InputFormats[i] == ValueFormat.ConfluentAvro)
            {
                framed.Add($"input '{descriptor.InputTopics[i]}'");
            }
        }

        for (int i = 0; i < descriptor.OutputTopics.Count; i++)
        {
            if (descriptor.OutputFormats[i] == ValueFormat.ConfluentAvro)
            {
                framed.Add($"output '{descriptor.OutputTopics[i]}'");
            }
        }

        return $"Processor {descriptor.Id} reads or writes Confluent-framed Avro (ValueFormat.ConfluentAvro: {string.Join(", ", framed)}) but no schema registry is configured. Set ProcessorOptions.SchemaRegistry (or, under hosting, call KappaBuilder.AddSchemaRegistry), e.g. to a ConfluentSchemaRegistry (Kappa.Kafka) or an EmbeddedSchemaRegistry (Kappa.EmbeddedLog).";
    }

    /// <summary>Framed inputs get their decoders and framed outputs register their schemas, once, before the first record.</summary>
    private void AttachSchemaRegistry(CancellationToken cancellationToken)
    {
        if (!_descriptor.NeedsSchemaRegistry)
        {
            return;
        }

        try
        {
            ValueTask attached = _dispatcher.AttachSchemaRegistryAsync(_options.SchemaRegistry!, cancellationToken);
            if (!attached.IsCompletedSuccessfully)
            {
                attached.AsTask().GetAwaiter().GetResult();
            }
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            ProcessorLog.TransportFailed(_logger, error, _descriptor.Id, "registering output schemas in the schema registry");
            throw new ProcessorFaultedException(_descriptor.Id, $"Processor {_descriptor.Id}: preparing its Confluent-framed inputs and outputs on the schema registry failed: {error.Message}", error);
        }
    }

    private void InitTransactions()
    {
        try
        {
            _transactional!.InitTransactions(_options.TransactionTimeout);
        }
        catch (KappaFencedException fenced)
        {
            throw Fenced(fenced);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            ProcessorLog.TransportFailed(_logger, error, _descriptor.Id, "initializing transactions");
            throw new ProcessorFaultedException(_descriptor.Id, $"Processor {_descriptor.Id}: initializing transactions for transactional id '{_transactionalId}' on {_transport.Description} failed: {error.Message}", error);
        }
    }

    private ProcessorFaultedException Fenced(KappaFencedException fenced)
    {
        ProcessorLog.Fenced(_logger, fenced, _descriptor.Id, _transactionalId);
        return new ProcessorFaultedException(
            _descriptor.Id,
            $"Processor {_descriptor.Id}: another instance took over transactional id '{_transactionalId}' (a restarted instance, or a second instance with the same ProcessorOptions.InstanceId '{InstanceId}'); this instance stopped without committing its current batch. Give every concurrently running instance its own InstanceId.",
            fenced);
    }

    private static string DefaultInstanceId()
    {
        var chars = Environment.MachineName.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_').ToArray();
        string name = new string(chars);
        return name.Length == 0 ? "instance" : name.Length > 64 ? name[..64] : name;
    }

    private void EnsureTopics()
    {
        int partitions = 1;
        foreach (string input in _descriptor.InputTopics)
        {
            partitions = Math.Max(partitions, _transport.GetPartitionCount(input) ?? 1);
        }

        var specs = new List<TopicSpec>(_descriptor.OutputTopics.Count + 1);
        foreach (string output in _descriptor.OutputTopics)
        {
            specs.Add(new TopicSpec(output, partitions));
        }

        specs.Add(new TopicSpec(_descriptor.DeadLetterTopic, partitions));
        foreach (StateStoreDescriptor store in _descriptor.Stores)
        {
            // Partition n of the changelog holds the state of input partition n.
            specs.Add(new TopicSpec(store.ChangelogTopic, partitions, Compacted: true));
        }
        _transport.EnsureTopics(specs);
        _dlqPartitions = _transport.GetPartitionCount(_descriptor.DeadLetterTopic) ?? partitions;
        foreach (StateStoreDescriptor store in _descriptor.Stores)
        {
            int changelogPartitions = _transport.GetPartitionCount(store.ChangelogTopic) ?? 0;
            if (changelogPartitions < partitions)
            {
                throw new ProcessorFaultedException(_descriptor.Id, $"Processor {_descriptor.Id}: changelog '{store.ChangelogTopic}' has {changelogPartitions} partitions but the inputs have {partitions}; every input partition needs its changelog partition. Delete the changelog (it is rebuilt by replaying the inputs with a new version) or add partitions.", new InvalidOperationException($"Changelog '{store.ChangelogTopic}' has too few partitions."));
            }
        }
    }

    private void RunBatch(IKappaConsumer consumer, CancellationToken cancellationToken)
    {
        try
        {
            ConsumeBatch(consumer, cancellationToken);
        }
        finally
        {
            if (_batchActivity is { } batch)
            {
                _batchActivity = null;
                batch.SetTag(KappaTracing.MessagingBatchCount, _batchRecords);
                batch.Dispose();
            }
        }
    }

    private void ConsumeBatch(IKappaConsumer consumer, CancellationToken cancellationToken)
    {
        int count = 0;
        long batchStart = 0;
        while (true)
        {
            TimeSpan wait = _options.PollTimeout;
            if (count > 0)
            {
                TimeSpan remaining = _options.MaxBatchTime - Stopwatch.GetElapsedTime(batchStart);
                if (remaining <= TimeSpan.Zero)
                {
                    break;
                }

                if (remaining < wait)
                {
                    wait = remaining;
                }
            }

            ConsumedRecord record;
            try
            {
                if (!consumer.TryConsume(wait, out record))
                {
                    break;
                }
            }
            catch (KappaTransportException unreadable) when (unreadable is not KappaFencedException && unreadable.Topic is not null && unreadable.Offset is not null)
            {
                throw Unreadable(unreadable);
            }

            if (count == 0)
            {
                batchStart = Stopwatch.GetTimestamp();
                if (KappaTracing.Source.HasListeners())
                {
                    StartBatchActivity();
                }
            }

            Process(in record);
            if (_rewind)
            {
                return;
            }

            count++;
            if (count >= _options.MaxBatchSize || cancellationToken.IsCancellationRequested)
            {
                break;
            }

            if (_stateManager is { IsRestoring: true } && count % 256 == 0)
            {
                // Keep restores of other partitions moving during long batches.
                break;
            }
        }

        FlushAndCommit();
    }

    /// <summary>
    /// The transport cannot deliver the record at a known position (a corrupt batch): the records before it are committed,
    /// so a restart neither re-emits them nor moves past the bad record; the processor stops, naming the position.
    /// </summary>
    private ProcessorFaultedException Unreadable(KappaTransportException unreadable)
    {
        string topic = unreadable.Topic!;
        int partition = unreadable.Partition ?? -1;
        long offset = unreadable.Offset!.Value;
        ProcessorLog.TransportFailed(_logger, unreadable, _descriptor.Id, $"reading {topic}-{partition}@{offset}");
        CommitRecordsBefore("unreadable");

        return new ProcessorFaultedException(
            _descriptor.Id,
            $"Processor {_descriptor.Id}: the record at {topic}-{partition}@{offset} cannot be read ({unreadable.Message}). The records before it are committed; the processor stops here on every start until the data is restored or its group is moved past the offset (docs/embedded-log.md, 'Corrupt data').",
            unreadable,
            topic,
            partition,
            offset);
    }

    /// <summary>
    /// The exception a processor stops with at <paramref name="record"/>. At-least-once and stateless, the work of the
    /// records before it is committed first (this record and everything after it stay uncommitted); with state or
    /// transactions the whole batch is abandoned instead (the failing record may have changed state half-way) and processed
    /// again, exactly once, after the restart.
    /// </summary>
    private ProcessorFaultedException StopAt(in ConsumedRecord record, string message, Exception cause)
    {
        if (!_exactlyOnce && _stateManager is null)
        {
            CommitRecordsBefore("failing");
        }

        return new ProcessorFaultedException(_descriptor.Id, message, cause, record.Topic, record.Partition, record.Offset);
    }

    /// <summary>
    /// Commits the records processed before a failing one (which stays uncommitted). A failure of that commit is logged,
    /// not thrown, so the original failure is the one the processor stops with.
    /// </summary>
    private void CommitRecordsBefore(string which)
    {
        try
        {
            FlushAndCommit();
        }
        catch (ProcessorFaultedException commitError)
        {
            _logger.LogError(commitError, "Processor {Processor}: committing the records before the {Which} one also failed", _descriptor.Id, which);
        }
    }

    private void Process(in ConsumedRecord record)
    {
        if (_rewind)
        {
            return;
        }

        if (!KappaTracing.Source.HasListeners())
        {
            Process(in record, _producer!);
            return;
        }

        // Tracing: a span per record (a child of the context the record carries), outputs through the tracing producer.
        _recordActivity = StartRecordActivity(in record);
        _batchRecords++;
        try
        {
            Process(in record, _tracingProducer!);
        }
        catch (Exception error)
        {
            _recordActivity?.SetStatus(ActivityStatusCode.Error, error.Message);
            throw;
        }
        finally
        {
            _recordActivity?.Dispose();
            _recordActivity = null;
        }
    }

    private void StartBatchActivity()
    {
        _batchRecords = 0;
        Activity? batch = KappaTracing.Source.StartActivity(_batchSpanName, ActivityKind.Consumer);
        if (batch is { IsAllDataRequested: true })
        {
            batch.SetTag(KappaTracing.MessagingSystem, "kafka");
            batch.SetTag(KappaTracing.MessagingOperationName, "process");
            batch.SetTag(KappaTracing.MessagingOperationType, "process");
            batch.SetTag(KappaTracing.MessagingConsumerGroup, _descriptor.ConsumerGroup);
            batch.SetTag(KappaMetrics.ProcessorTag, _descriptor.Id);
        }

        _batchActivity = batch;
    }

    private Activity? StartRecordActivity(in ConsumedRecord record)
    {
        Activity? batch = _batchActivity;
        ActivityContext parent = batch?.Context ?? default;
        ActivityLink[]? links = null;
        if (KappaTracing.TryExtract(record.Headers, out ActivityContext carried))
        {
            // The record's own trace continues here; the batch that processed it is linked.
            parent = carried;
            links = batch is null ? null : [new ActivityLink(batch.Context)];
        }

        string name = _recordSpanNames.TryGetValue(record.Topic, out string? known) ? known : "process " + record.Topic;
        Activity? activity = KappaTracing.Source.StartActivity(name, ActivityKind.Consumer, parent, tags: null, links: links);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(KappaTracing.MessagingSystem, "kafka");
            activity.SetTag(KappaTracing.MessagingOperationName, "process");
            activity.SetTag(KappaTracing.MessagingOperationType, "process");
            activity.SetTag(KappaTracing.MessagingDestinationName, record.Topic);
            activity.SetTag(KappaTracing.MessagingPartition, record.Partition.ToString(CultureInfo.InvariantCulture));
            activity.SetTag(KappaTracing.MessagingKafkaOffset, record.Offset);
            activity.SetTag(KappaTracing.MessagingConsumerGroup, _descriptor.ConsumerGroup);
            KappaTracing.SetKey(activity, record.Key, record.KeyIsNull);
        }

        return activity;
    }

    private void Process(in ConsumedRecord record, IKappaProducer producer)
    {
        if (_stateManager is { } manager && !manager.IsReady(record.Partition))
        {
            // The transport delivered a record of a partition still restoring (its pause did not take effect yet).
            manager.EnsureRestored(record.Partition, _consumer!);
        }

        if (_exactlyOnce && !_inTransaction)
        {
            BeginTransaction();
        }

        try
        {
            _batchOutputs += _dispatcher.Dispatch(in record, producer);
        }
        catch (PoisonRecordException poison)
        {
            DeadLetter(in record, poison.Reason, poison.InnerException ?? poison);
        }
        catch (KappaFencedException fenced)
        {
            throw Fenced(fenced);
        }
        catch (KappaTransportException transportError) when (_exactlyOnce)
        {
            // Abort the whole batch; its state is rolled back and the batch is processed again from the last commit.
            AbortAndRewind(transportError);
            return;
        }
        catch (KappaTransportException transportError)
        {
            ProcessorLog.TransportFailed(_logger, transportError, _descriptor.Id, $"producing outputs of {record.Topic}-{record.Partition}@{record.Offset}");
            throw new ProcessorFaultedException(
                _descriptor.Id,
                $"Processor {_descriptor.Id}: producing the outputs of {record.Topic}-{record.Partition}@{record.Offset} failed: {transportError.Message}",
                transportError,
                record.Topic,
                record.Partition,
                record.Offset);
        }
        catch (Avro.Registry.SchemaRegistryUnavailableException registryError)
        {
            // Not the record's fault: never dead-lettered. Stop with the record uncommitted (as for a failing handler), so a
            // restart reads it again once the registry answers.
            ProcessorLog.TransportFailed(_logger, registryError, _descriptor.Id, $"looking up the writer schema of {record.Topic}-{record.Partition}@{record.Offset}");
            throw StopAt(
                in record,
                $"Processor {_descriptor.Id}: reading {record.Topic}-{record.Partition}@{record.Offset} needs schema id {registryError.SchemaId}, and the schema registry did not answer: {registryError.Message}",
                registryError);
        }
        catch (Exception handlerError) when (_options.OnHandlerError == HandlerErrorPolicy.DeadLetter && handlerError is not OutOfMemoryException)
        {
            DeadLetter(in record, DeadLetterHeaders.ReasonHandlerError, handlerError);
        }
        catch (Exception handlerError) when (handlerError is not OutOfMemoryException)
        {
            ProcessorLog.HandlerFailed(_logger, handlerError, _descriptor.Id, record.Topic, record.Partition, record.Offset);
            throw StopAt(
                in record,
                $"Processor {_descriptor.Id}: the handler for topic '{record.Topic}' threw {handlerError.GetType().FullName} on partition {record.Partition} at offset {record.Offset}: {handlerError.Message}",
                handlerError);
        }

        _pending[new TopicPartition(record.Topic, record.Partition)] = record.Offset + 1;
        _pendingRecords++;
    }

    private void BeginTransaction()
    {
        try
        {
            _transactional!.BeginTransaction();
            _inTransaction = true;
        }
        catch (KappaFencedException fenced)
        {
            throw Fenced(fenced);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            ProcessorLog.TransportFailed(_logger, error, _descriptor.Id, "beginning a transaction");
            throw new ProcessorFaultedException(_descriptor.Id, $"Processor {_descriptor.Id}: beginning a transaction failed: {error.Message}", error);
        }
    }

    /// <summary>Aborts the open transaction, ignoring failures (used when the runner stops anyway).</summary>
    private void AbortQuietly()
    {
        if (!_inTransaction)
        {
            return;
        }

        _inTransaction = false;
        try
        {
            _transactional!.AbortTransaction(_options.TransactionTimeout);
        }
        catch (Exception abortError) when (abortError is not OutOfMemoryException)
        {
            _logger.LogDebug(abortError, "Processor {Processor}: aborting the transaction after a failure also failed", _descriptor.Id);
        }
    }

    /// <summary>
    /// A transaction failed: abort it, forget the batch and let the run loop rebuild the consumer, which drops the
    /// affected stores and restores them (the rollback) and reads again from the committed offsets.
    /// </summary>
    private void AbortAndRewind(Exception cause)
    {
        _failedTransactions++;
        KappaMetrics.TransactionsAborted.Add(1, _tag);
        ProcessorLog.TransactionAborted(_logger, cause, _descriptor.Id, _failedTransactions, _options.MaxTransactionRetries + 1);
        AbortQuietly();
        _pending.Clear();
        _pendingRecords = 0;
        _batchOutputs = 0;
        _batchDeadLettered = 0;
        _stateManager?.DiscardDirty();
        if (_failedTransactions > _options.MaxTransactionRetries)
        {
            throw new ProcessorFaultedException(
                _descriptor.Id,
                $"Processor {_descriptor.Id}: {_failedTransactions} transactions in a row failed and were aborted; the last failure: {cause.Message}",
                cause);
        }

        _rewind = true;
    }

    private void DeadLetter(in ConsumedRecord record, string reason, Exception error)
    {
        _dlqHeaders.Reset();
        int partition = record.Partition < _dlqPartitions ? record.Partition : -1;
        Activity? send = null;
        if (_recordActivity is { } processing)
        {
            processing.SetTag(KappaTracing.DeadLetteredTag, true);
            processing.SetStatus(ActivityStatusCode.Error, reason);
            send = KappaTracing.StartSend(_deadLetterSpanName, _descriptor.DeadLetterTopic, record.Key, record.KeyIsNull, partition);
            KappaTracing.WriteHeaders(record.Headers, send, _dlqHeaders);
        }
        else
        {
            CopyHeaders(record.Headers, _dlqHeaders);
        }

        try
        {
            ProduceDeadLetter(in record, reason, error, partition);
        }
        finally
        {
            send?.Dispose();
        }
    }

    private static void CopyHeaders(RecordHeaders headers, RecordHeadersWriter target)
    {
        try
        {
            foreach (RecordHeader header in headers)
            {
                if (header.ValueIsNull)
                {
                    target.Add(header.KeyString, (string?)null);
                }
                else
                {
                    target.Add(header.KeyString, header.Value);
                }
            }
        }
        catch (FormatException)
        {
            // The original headers are malformed: keep only ours rather than losing the record.
            target.Reset();
        }
    }

    private void ProduceDeadLetter(in ConsumedRecord record, string reason, Exception error, int partition)
    {
        _dlqHeaders
            .Add(DeadLetterHeaders.Reason, reason)
            .Add(DeadLetterHeaders.Error, error.Message)
            .Add(DeadLetterHeaders.ExceptionType, error.GetType().FullName)
            .Add(DeadLetterHeaders.Processor, _descriptor.Id)
            .Add(DeadLetterHeaders.Topic, record.Topic)
            .Add(DeadLetterHeaders.Partition, record.Partition.ToString(CultureInfo.InvariantCulture))
            .Add(DeadLetterHeaders.Offset, record.Offset.ToString(CultureInfo.InvariantCulture))
            .Add(DeadLetterHeaders.Timestamp, record.TimestampMs.ToString(CultureInfo.InvariantCulture));

        _producer!.Produce(new OutgoingRecord(_descriptor.DeadLetterTopic, record.Key, record.Value)
        {
            KeyIsNull = record.KeyIsNull,
            ValueIsNull = record.ValueIsNull,
            TimestampMs = record.TimestampMs,
            EncodedHeaders = _dlqHeaders.Encoded,
            Partition = partition,
        });
        _batchDeadLettered++;
        ProcessorLog.DeadLettered(_logger, _descriptor.Id, record.Topic, record.Partition, record.Offset, _descriptor.DeadLetterTopic, reason, error.Message);
    }

    /// <summary>
    /// Commits the batch: writes the changelog records of every changed key, then either flushes and commits the offsets
    /// (at-least-once) or adds the offsets to the transaction and commits it (exactly-once). Marks the stores clean.
    /// </summary>
    private int FlushAndCommit()
    {
        if (_rewind || (_pending.Count == 0 && !_inTransaction))
        {
            return 0;
        }

        long start = Stopwatch.GetTimestamp();
        _commitList.Clear();
        foreach (KeyValuePair<TopicPartition, long> position in _pending)
        {
            _commitList.Add(new TopicPartitionOffset(position.Key.Topic, position.Key.Partition, position.Value));
        }

        if (_exactlyOnce)
        {
            try
            {
                WriteChangelogs();
                if (_commitList.Count > 0)
                {
                    _transactional!.SendOffsetsToTransaction(_commitList, _consumer!, _options.TransactionTimeout);
                }

                _transactional!.CommitTransaction(_options.TransactionTimeout);
                _inTransaction = false;
            }
            catch (KappaFencedException fenced)
            {
                _inTransaction = false;
                throw Fenced(fenced);
            }
            catch (Exception commitError) when (commitError is not OutOfMemoryException and not ProcessorFaultedException)
            {
                AbortAndRewind(commitError);
                return 0;
            }

            _failedTransactions = 0;
        }
        else
        {
            try
            {
                WriteChangelogs();
                _producer!.Flush(CancellationToken.None);
            }
            catch (Exception flushError) when (flushError is not OutOfMemoryException)
            {
                _pending.Clear();
                _pendingRecords = 0;
                ProcessorLog.TransportFailed(_logger, flushError, _descriptor.Id, "flushing outputs");
                throw new ProcessorFaultedException(_descriptor.Id, $"Processor {_descriptor.Id}: flushing outputs failed, so the batch's offsets were not committed: {flushError.Message}", flushError);
            }

            try
            {
                if (_commitList.Count > 0)
                {
                    _consumer!.Commit(_commitList);
                }
            }
            catch (Exception commitError) when (commitError is not OutOfMemoryException)
            {
                _pending.Clear();
                _pendingRecords = 0;
                ProcessorLog.TransportFailed(_logger, commitError, _descriptor.Id, "committing offsets");
                throw new ProcessorFaultedException(_descriptor.Id, $"Processor {_descriptor.Id}: committing offsets failed: {commitError.Message}", commitError);
            }
        }

        if (_stateManager is { } manager)
        {
            foreach (IStateStore store in manager.ReadyStores)
            {
                if (store.DirtyCount > 0)
                {
                    store.MarkClean(-1);
                }
            }
        }

        double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        int committed = _commitList.Count;
        int records = _pendingRecords;
        KappaMetrics.CommitDuration.Record(ms, _tag);
        KappaMetrics.Batches.Add(1, _tag);
        KappaMetrics.RecordsProcessed.Add(records, _tag);
        if (_batchOutputs > 0)
        {
            KappaMetrics.OutputsProduced.Add(_batchOutputs, _tag);
        }

        if (_batchDeadLettered > 0)
        {
            KappaMetrics.DeadLettered.Add(_batchDeadLettered, _tag);
        }

        Interlocked.Add(ref _totalRecords, records);
        ProcessorLog.Committed(_logger, _descriptor.Id, records, committed, ms);
        _pending.Clear();
        _pendingRecords = 0;
        _batchOutputs = 0;
        _batchDeadLettered = 0;
        return committed;
    }

    /// <summary>Produces one changelog record per changed key of every ready store, to the changelog partition of the same number.</summary>
    private void WriteChangelogs()
    {
        if (_stateManager is not { } manager)
        {
            return;
        }

        _changelogWriter ??= new ChangelogWriter();
        _changelogWriter.Producer = _producer!;
        foreach (var (partition, stores) in manager.ReadySlots)
        {
            for (int i = 0; i < stores.Length; i++)
            {
                if (stores[i].DirtyCount == 0)
                {
                    continue;
                }

                _changelogWriter.Topic = _descriptor.Stores[i].ChangelogTopic;
                _changelogWriter.Partition = partition;
                stores[i].WriteChanges(_changelogWriter.Handler);
            }
        }
    }

    private ChangelogWriter? _changelogWriter;

    /// <summary>A reusable changelog sink: one delegate for the runner's lifetime.</summary>
    private sealed class ChangelogWriter
    {
        public ChangelogWriter()
        {
            Handler = Write;
        }

        public StateChangeHandler Handler { get; }

        public IKappaProducer Producer { get; set; } = null!;

        public string Topic { get; set; } = "";

        public int Partition { get; set; }

        private void Write(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, bool isTombstone) =>
            Producer.Produce(new OutgoingRecord(Topic, key, value) { Partition = Partition, ValueIsNull = isTombstone });
    }

    private void OnAssigned(IReadOnlyList<TopicPartition> partitions)
    {
        _stateManager?.OnAssigned(partitions, _consumer!);
        if (_logger.IsEnabled(LogLevel.Information))
        {
            ProcessorLog.Assigned(_logger, _descriptor.Id, string.Join(", ", partitions));
        }
    }

    private void OnRevoked(IReadOnlyList<TopicPartition> partitions)
    {
        // Before partitions move to another member, everything processed so far must be durable and committed,
        // or the new owner would process it again.
        int committed = _faulted || _rewind ? 0 : FlushAndCommit();
        _stateManager?.OnRevoked(partitions);
        if (_logger.IsEnabled(LogLevel.Information))
        {
            ProcessorLog.Revoked(_logger, _descriptor.Id, string.Join(", ", partitions), committed);
        }
    }
}
