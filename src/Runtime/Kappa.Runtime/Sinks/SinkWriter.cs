using System.Diagnostics;
using Kappa.Avro;
using Kappa.Avro.Registry;
using Kappa.Naming;
using Kappa.Processing;
using Kappa.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kappa.Sinks;

/// <summary>
/// Materializes one sink version: reads <c>{sink}.v{N}</c> from any <see cref="IKappaTransport"/>, decodes each value
/// with the <see cref="ISinkValueDecoder{T}"/> of its <see cref="SinkWriterOptions.ValueFormat"/> (unframed Avro, or
/// Confluent-framed Avro resolved through a schema registry) and writes batches into <c>{sink}_v{N}</c> through an
/// <see cref="ISinkDatabase"/>. Each batch commits its rows and the next offsets of its partitions in one database
/// transaction; on start, and after any failure, the writer re-reads those offsets and assigns the topic's partitions
/// there (manual assignment, no consumer group: the database, not the group, holds the position, so the table is
/// exactly-once whatever crashes). One writer per table.
/// </summary>
public sealed class SinkWriter<T>
    where T : ITableRecord<T>, IAvroRecord<T>
{
    private readonly IKappaTransport _transport;
    private readonly ISinkDatabase _database;
    private readonly SinkWriterOptions _options;
    private readonly ILogger _logger;
    private readonly SinkBatch<T> _batch;
    private readonly SinkDeadLetters _deadLetters;
    private readonly Dictionary<int, long> _committed = new();
    private readonly KeyValuePair<string, object?> _tag;
    private readonly ISinkValueDecoder<T> _decoder;
    private long _reportedLag;
    private long _lag = -1;
    private long _records;
    private long _batches;
    private IKappaProducer? _producer;

    public SinkWriter(IKappaTransport transport, ISinkDatabase database, SinkTarget target, SinkWriterOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(target);
        _options = options ?? new SinkWriterOptions();
        _options.Validate();
        try
        {
            _ = T.TableSchema ?? throw new TableSchemaException($"{typeof(T).FullName}.TableSchema is null.");
        }
        catch (TypeInitializationException error) when (error.InnerException is TableSchemaException schemaError)
        {
            // A static TableSchema property initializer threw: report the schema problem itself, once, at construction.
            throw new TableSchemaException($"{typeof(T).FullName}.TableSchema is invalid: {schemaError.Message}");
        }
        _decoder = SinkValueDecoders.Create<T>(target, _options);
        _transport = transport;
        _database = database;
        Target = target;
        _logger = logger ?? NullLogger.Instance;
        _batch = new SinkBatch<T>(target.Topic);
        _deadLetters = new SinkDeadLetters(target);
        _tag = new KeyValuePair<string, object?>(KappaMetrics.SinkTableTag, target.Table);
    }

    public SinkTarget Target { get; }

    /// <summary>How this writer reads the topic's values.</summary>
    public ValueFormat ValueFormat => _decoder.Format;

    /// <summary>The database the table lives in.</summary>
    public ISinkDatabase Database => _database;

    /// <summary>Records of the topic not yet committed to the table at the last measurement (-1 before the first).</summary>
    public long Lag => Interlocked.Read(ref _lag);

    /// <summary>Batches committed since this writer started.</summary>
    public long CommittedBatches => Interlocked.Read(ref _batches);

    /// <summary>
    /// Runs until <paramref name="cancellationToken"/> is cancelled (then commits the batch in hand and returns). A failure
    /// of the database, the transport or the schema registry (a framed sink's <see cref="SchemaRegistryUnavailableException"/>)
    /// is logged, nothing of the batch in hand is committed, and the writer starts over from the database's offsets after a
    /// backoff; only a schema the database cannot hold (<see cref="TableSchemaException"/>) ends it with an exception.
    /// </summary>
    public void Run(CancellationToken cancellationToken)
    {
        SinkWriterLog.Starting(_logger, Target.Table, Target.Topic, _transport.Description, _database.Description, Target.DeadLetterTopic);
        TimeSpan delay = _options.RetryDelay;
        int failures = 0;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    RunSession(cancellationToken, ref failures);
                    return;
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                catch (TableSchemaException)
                {
                    throw;
                }
                catch (Exception error)
                {
                    failures++;
                    delay = failures == 1 ? _options.RetryDelay : TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxRetryDelay.Ticks));
                    KappaMetrics.SinkFailures.Add(1, _tag);
                    if (error is SchemaRegistryUnavailableException registryError)
                    {
                        // Not a record's fault: never dead-lettered. The batch in hand is dropped uncommitted and read
                        // again from the table's offsets once the registry answers.
                        SinkWriterLog.RegistryUnavailable(_logger, registryError, Target.Table, registryError.SchemaId, _batch.Consumed, delay);
                    }
                    else
                    {
                        SinkWriterLog.Failed(_logger, error, Target.Table, _batch.Consumed, delay);
                    }

                    DisposeProducer();
                    if (cancellationToken.WaitHandle.WaitOne(delay))
                    {
                        return;
                    }
                }
            }
        }
        finally
        {
            DisposeProducer();
            ReportLag(0);
            SinkWriterLog.Stopped(_logger, Target.Table, _records);
        }
    }

    private void RunSession(CancellationToken cancellationToken, ref int failures)
    {
        _batch.Clear();
        _deadLetters.Clear();
        using ISinkTable<T> table = _database.OpenTable<T>(Target);
        IReadOnlyDictionary<int, long> stored = table.Open(Target.Topic);
        int partitions = WaitForTopic(cancellationToken);
        _committed.Clear();
        var assignment = new List<TopicPartitionOffset>(partitions);
        for (int p = 0; p < partitions; p++)
        {
            WatermarkOffsets marks = _transport.GetWatermarks(new TopicPartition(Target.Topic, p));
            long start = marks.Low;
            if (stored.TryGetValue(p, out long next))
            {
                if (next < marks.Low)
                {
                    SinkWriterLog.OffsetsBeforeLogStart(_logger, Target.Table, Target.Topic, p, marks.Low, next);
                }
                else
                {
                    start = next;
                }
            }

            _committed[p] = start;
            assignment.Add(new TopicPartitionOffset(Target.Topic, p, start));
        }

        SinkWriterLog.Resuming(_logger, Target.Table, Target.Topic, string.Join(", ", assignment));
        using IKappaConsumer consumer = _transport.CreateConsumer(new ConsumerSettings
        {
            GroupId = KappaNames.SinkWriterGroup(Target.Sink, Target.Version),
            ClientId = KappaNames.SinkWriterGroup(Target.Sink, Target.Version),
            StartFrom = StartPosition.Earliest,
            ReadCommitted = true,
            TransportProperties = _options.TransportProperties,
        });
        consumer.Assign(assignment);
        if (failures > 0)
        {
            SinkWriterLog.Recovered(_logger, Target.Table, failures);
            failures = 0;
        }

        long lastLag = 0;
        MeasureLag(consumer, ref lastLag, force: true);
        while (!cancellationToken.IsCancellationRequested)
        {
            FillBatch(consumer, cancellationToken);
            if (_batch.Consumed > 0)
            {
                Commit(table, cancellationToken);
            }

            MeasureLag(consumer, ref lastLag, force: false);
        }
    }

    private int WaitForTopic(CancellationToken cancellationToken)
    {
        bool logged = false;
        while (true)
        {
            int? count = _transport.GetPartitionCount(Target.Topic);
            if (count is > 0)
            {
                return count.Value;
            }

            if (!logged)
            {
                SinkWriterLog.WaitingForTopic(_logger, Target.Table, Target.Topic);
                logged = true;
            }

            if (cancellationToken.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(500)))
            {
                throw new OperationCanceledException(cancellationToken);
            }
        }
    }

    private void FillBatch(IKappaConsumer consumer, CancellationToken cancellationToken)
    {
        _batch.Clear();
        _deadLetters.Clear();
        long deadline = 0;
        while (_batch.Consumed < _options.MaxBatchRecords && !cancellationToken.IsCancellationRequested)
        {
            TimeSpan timeout;
            if (_batch.Consumed == 0)
            {
                timeout = TimeSpan.FromMilliseconds(200);
            }
            else
            {
                timeout = Stopwatch.GetElapsedTime(deadline) is var elapsed && elapsed < _options.MaxBatchDelay ? _options.MaxBatchDelay - elapsed : TimeSpan.Zero;
            }

            if (!consumer.TryConsume(timeout, out ConsumedRecord record))
            {
                if (_batch.Consumed == 0)
                {
                    return;
                }

                if (timeout == TimeSpan.Zero || Stopwatch.GetElapsedTime(deadline) >= _options.MaxBatchDelay)
                {
                    return;
                }

                continue;
            }

            if (_batch.Consumed == 0)
            {
                deadline = Stopwatch.GetTimestamp();
            }

            Accept(in record);
        }
    }

    private void Accept(in ConsumedRecord record)
    {
        _batch.Advance(record.Partition, record.Offset);
        if (record.ValueIsNull)
        {
            if (T.TableSchema.Mode == TableMode.Append)
            {
                DeadLetter(in record, DeadLetterHeaders.ReasonNullValue, "A tombstone has no row in an append table.");
            }
            else if (record.KeyIsNull)
            {
                DeadLetter(in record, DeadLetterHeaders.ReasonNullKey, "A tombstone with a null key deletes nothing: rows are deleted by record key.");
            }
            else
            {
                _batch.Add(in record, default!, isTombstone: true);
            }

            return;
        }

        T value;
        try
        {
            value = _decoder.Decode(record.Value);
        }
        catch (SinkValueException error)
        {
            DeadLetter(in record, error.Reason, error.Message, error.InnerException!.GetType().FullName!);
            return;
        }

        _batch.Add(in record, value, isTombstone: false);
    }

    private void DeadLetter(in ConsumedRecord record, string reason, string message, string exceptionType = "")
    {
        _deadLetters.Add(in record, reason, message, string.Empty, exceptionType);
        SinkWriterLog.DeadLettered(_logger, Target.Table, record.Topic, record.Partition, record.Offset, Target.DeadLetterTopic, reason, message);
    }

    private void Commit(ISinkTable<T> table, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        int refused = 0;
        table.Write(_batch, rejections =>
        {
            refused = rejections.Count;
            foreach (SinkRejection rejection in rejections)
            {
                _deadLetters.Add(_batch, rejection);
                ref readonly SinkRow<T> row = ref _batch[rejection.Row];
                SinkWriterLog.DeadLettered(_logger, Target.Table, Target.Topic, row.Partition, row.Offset, Target.DeadLetterTopic, DeadLetterHeaders.ReasonRefused, rejection.Message);
            }

            if (_deadLetters.Count > 0)
            {
                _producer ??= _transport.CreateProducer(new ProducerSettings { ClientId = Target.DeadLetterTopic, TransportProperties = _options.TransportProperties });
                _transport.EnsureTopics([new Transport.TopicSpec(Target.DeadLetterTopic, 1)]);
                _deadLetters.ProduceAndFlush(_producer, cancellationToken);
            }
        });
        double ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        foreach (TopicPartitionOffset next in _batch.NextOffsets)
        {
            _committed[next.Partition] = next.Offset;
        }

        int rows = _batch.Count - refused;
        _records += _batch.Consumed;
        Interlocked.Increment(ref _batches);
        KappaMetrics.SinkRowsWritten.Add(rows, _tag);
        KappaMetrics.SinkBatchDuration.Record(ms, _tag);
        if (_deadLetters.Count > 0)
        {
            KappaMetrics.SinkDeadLettered.Add(_deadLetters.Count, _tag);
        }

        SinkWriterLog.Committed(_logger, Target.Table, rows, _batch.Consumed, ms);
        _batch.Clear();
        _deadLetters.Clear();
    }

    /// <summary>Lag between batches: end offset minus the committed offset, or the consumer's position when it is further (past transaction markers).</summary>
    private void MeasureLag(IKappaConsumer consumer, ref long lastMeasured, bool force)
    {
        long now = Stopwatch.GetTimestamp();
        if (!force && Stopwatch.GetElapsedTime(lastMeasured, now) < _options.LagInterval)
        {
            return;
        }

        lastMeasured = now;
        long lag = 0;
        foreach (KeyValuePair<int, long> committed in _committed)
        {
            var partition = new TopicPartition(Target.Topic, committed.Key);
            WatermarkOffsets marks = _transport.GetWatermarks(partition);
            lag += Math.Max(0, marks.High - Math.Max(committed.Value, consumer.Position(partition)));
        }

        ReportLag(lag);
    }

    private void ReportLag(long lag)
    {
        KappaMetrics.SinkLag.Add(lag - _reportedLag, _tag);
        _reportedLag = lag;
        Interlocked.Exchange(ref _lag, lag);
    }

    private void DisposeProducer()
    {
        try
        {
            _producer?.Dispose();
        }
        catch (Exception)
        {
            // a producer whose transport is gone may fail to close; a new one is created on the next dead letter
        }

        _producer = null;
    }
}
