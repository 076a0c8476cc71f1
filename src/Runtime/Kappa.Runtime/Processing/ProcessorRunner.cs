using System.Diagnostics;
using System.Globalization;
using Kappa.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kappa.Processing;

/// <summary>
/// Runs one processor version on any <see cref="IKappaTransport"/>: ensures its output and dead-letter topics, joins
/// its consumer group, consumes in batches, dispatches each record, flushes the producer and only then commits the
/// batch's offsets (at-least-once). Poison records go to the dead-letter topic; a throwing handler stops the processor
/// (or is dead-lettered, see <see cref="ProcessorOptions.OnHandlerError"/>). Runs on the calling thread until cancelled.
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
    private IKappaProducer? _producer;
    private IKappaConsumer? _consumer;
    private int _started;
    private bool _faulted;
    private int _pendingRecords;
    private long _batchOutputs;
    private long _batchDeadLettered;
    private long _totalRecords;
    private int _dlqPartitions;

    public ProcessorRunner(IProcessorDispatcher dispatcher, IKappaTransport transport, ProcessorOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(dispatcher);
        ArgumentNullException.ThrowIfNull(transport);
        _dispatcher = dispatcher;
        _descriptor = dispatcher.Descriptor;
        _transport = transport;
        _options = options ?? new ProcessorOptions();
        _options.Validate();
        _logger = logger ?? NullLogger.Instance;
        _tag = new KeyValuePair<string, object?>(KappaMetrics.ProcessorTag, _descriptor.Id);
    }

    public ProcessorDescriptor Descriptor => _descriptor;

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
            ProcessorLog.Starting(_logger, _descriptor.Id, _transport.Description, string.Join(", ", _descriptor.InputTopics), string.Join(", ", _descriptor.OutputTopics), _descriptor.DeadLetterTopic, _descriptor.ConsumerGroup);
            using IKappaProducer producer = _transport.CreateProducer(new ProducerSettings
            {
                ClientId = _options.ClientId,
                TransportProperties = _options.ProducerProperties,
            });
            _producer = producer;
            using IKappaConsumer consumer = _transport.CreateConsumer(new ConsumerSettings
            {
                GroupId = _descriptor.ConsumerGroup,
                ClientId = _options.ClientId,
                StartFrom = _options.StartFrom,
                OnAssigned = OnAssigned,
                OnRevoked = OnRevoked,
                TransportProperties = _options.ConsumerProperties,
            });
            _consumer = consumer;
            try
            {
                consumer.Subscribe(_descriptor.InputTopics.ToArray());
                while (!cancellationToken.IsCancellationRequested)
                {
                    RunBatch(consumer, cancellationToken);
                }

                // Graceful stop: the last batch is committed; leave the group so partitions move at once.
                consumer.Close();
                ProcessorLog.Stopped(_logger, _descriptor.Id, RecordsProcessed);
            }
            catch (Exception error)
            {
                // Nothing more may be committed after a failure: the revocation callback during Close must not commit.
                _faulted = true;
                _pending.Clear();
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
        }
        finally
        {
            _producer = null;
            _consumer = null;
            _dispatcher.Dispose();
        }
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
        _transport.EnsureTopics(specs);
        _dlqPartitions = _transport.GetPartitionCount(_descriptor.DeadLetterTopic) ?? partitions;
    }

    private void RunBatch(IKappaConsumer consumer, CancellationToken cancellationToken)
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

            if (!consumer.TryConsume(wait, out ConsumedRecord record))
            {
                break;
            }

            if (count == 0)
            {
                batchStart = Stopwatch.GetTimestamp();
            }

            Process(in record);
            count++;
            if (count >= _options.MaxBatchSize || cancellationToken.IsCancellationRequested)
            {
                break;
            }
        }

        FlushAndCommit();
    }

    private void Process(in ConsumedRecord record)
    {
        IKappaProducer producer = _producer!;
        try
        {
            _batchOutputs += _dispatcher.Dispatch(in record, producer);
        }
        catch (PoisonRecordException poison)
        {
            DeadLetter(in record, poison.Reason, poison.InnerException ?? poison);
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
        catch (Exception handlerError) when (_options.OnHandlerError == HandlerErrorPolicy.DeadLetter && handlerError is not OutOfMemoryException)
        {
            DeadLetter(in record, DeadLetterHeaders.ReasonHandlerError, handlerError);
        }
        catch (Exception handlerError) when (handlerError is not OutOfMemoryException)
        {
            ProcessorLog.HandlerFailed(_logger, handlerError, _descriptor.Id, record.Topic, record.Partition, record.Offset);
            string topic = record.Topic;
            int partition = record.Partition;
            long offset = record.Offset;

            // Keep the work of the records before this one; this record and everything after it stay uncommitted.
            try
            {
                FlushAndCommit();
            }
            catch (ProcessorFaultedException commitError)
            {
                _logger.LogError(commitError, "Processor {Processor}: committing the records before the failing one also failed", _descriptor.Id);
            }

            throw new ProcessorFaultedException(
                _descriptor.Id,
                $"Processor {_descriptor.Id}: the handler for topic '{topic}' threw {handlerError.GetType().FullName} on partition {partition} at offset {offset}: {handlerError.Message}",
                handlerError,
                topic,
                partition,
                offset);
        }

        _pending[new TopicPartition(record.Topic, record.Partition)] = record.Offset + 1;
        _pendingRecords++;
    }

    private void DeadLetter(in ConsumedRecord record, string reason, Exception error)
    {
        _dlqHeaders.Reset();
        try
        {
            foreach (RecordHeader header in record.Headers)
            {
                if (header.ValueIsNull)
                {
                    _dlqHeaders.Add(header.KeyString, (string?)null);
                }
                else
                {
                    _dlqHeaders.Add(header.KeyString, header.Value);
                }
            }
        }
        catch (FormatException)
        {
            // The original headers are malformed: keep only ours rather than losing the record.
            _dlqHeaders.Reset();
        }

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
            Partition = record.Partition < _dlqPartitions ? record.Partition : -1,
        });
        _batchDeadLettered++;
        ProcessorLog.DeadLettered(_logger, _descriptor.Id, record.Topic, record.Partition, record.Offset, _descriptor.DeadLetterTopic, reason, error.Message);
    }

    /// <summary>Flushes the producer, then commits the next offset of every partition processed since the last commit.</summary>
    private int FlushAndCommit()
    {
        if (_pending.Count == 0)
        {
            return 0;
        }

        long start = Stopwatch.GetTimestamp();
        try
        {
            _producer!.Flush(CancellationToken.None);
        }
        catch (Exception flushError) when (flushError is not OutOfMemoryException)
        {
            _pending.Clear();
            _pendingRecords = 0;
            ProcessorLog.TransportFailed(_logger, flushError, _descriptor.Id, "flushing outputs");
            throw new ProcessorFaultedException(_descriptor.Id, $"Processor {_descriptor.Id}: flushing outputs failed, so the batch's offsets were not committed: {flushError.Message}", flushError);
        }

        _commitList.Clear();
        foreach (KeyValuePair<TopicPartition, long> position in _pending)
        {
            _commitList.Add(new TopicPartitionOffset(position.Key.Topic, position.Key.Partition, position.Value));
        }

        try
        {
            _consumer!.Commit(_commitList);
        }
        catch (Exception commitError) when (commitError is not OutOfMemoryException)
        {
            _pending.Clear();
            _pendingRecords = 0;
            ProcessorLog.TransportFailed(_logger, commitError, _descriptor.Id, "committing offsets");
            throw new ProcessorFaultedException(_descriptor.Id, $"Processor {_descriptor.Id}: committing offsets failed: {commitError.Message}", commitError);
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

    private void OnAssigned(IReadOnlyList<TopicPartition> partitions)
    {
        if (_logger.IsEnabled(LogLevel.Information))
        {
            ProcessorLog.Assigned(_logger, _descriptor.Id, string.Join(", ", partitions));
        }
    }

    private void OnRevoked(IReadOnlyList<TopicPartition> partitions)
    {
        // Before partitions move to another member, everything processed so far must be durable and committed,
        // or the new owner would process it again.
        int committed = _faulted ? 0 : FlushAndCommit();
        if (_logger.IsEnabled(LogLevel.Information))
        {
            ProcessorLog.Revoked(_logger, _descriptor.Id, string.Join(", ", partitions), committed);
        }
    }
}
