using System.Text;
using Confluent.Kafka;
using Kappa.Transport;
using CTopicPartition = Confluent.Kafka.TopicPartition;

namespace Kappa.Kafka;

/// <summary>
/// An idempotent Kafka producer (murmur2 key partitioning as in Java clients). Delivery reports are counted; <see cref="Flush"/>
/// waits for all of them and reports the first failure. <see cref="KafkaTransactionalProducer"/> builds on it.
/// </summary>
internal class KafkaProducer : IKappaProducer
{
    private readonly IProducer<byte[]?, byte[]?> _producer;
    private readonly string _description;
    private readonly Action<DeliveryReport<byte[]?, byte[]?>> _onDelivery;
    private readonly object _failureGate = new();
    private long _pending;
    private string? _firstFailure;
    private int _failures;
    private int _rejected;
    private Error? _fatal;
    private bool _disposed;

    internal KafkaProducer(KafkaTransportOptions options, ProducerSettings settings)
        : this(
            options,
            $"producer{(settings.ClientId is null ? string.Empty : $" '{settings.ClientId}'")} on {options.BootstrapServers}",
            () => KafkaConfig.Producer(options, settings.ClientId, settings.TransportProperties))
    {
    }

    /// <param name="options">The transport's options (logging).</param>
    /// <param name="description">How messages name this producer.</param>
    /// <param name="config">Builds the librdkafka configuration (may throw <see cref="ArgumentException"/> for bad properties).</param>
    protected KafkaProducer(KafkaTransportOptions options, string description, Func<Dictionary<string, string>> config)
    {
        _description = description;
        try
        {
            _producer = new ProducerBuilder<byte[]?, byte[]?>(config())
                .SetErrorHandler((_, error) =>
                {
                    if (error.IsFatal)
                    {
                        _fatal ??= error;
                    }

                    options.Log?.Invoke($"{_description}: {error.Code}: {error.Reason}");
                })
                .SetLogHandler((_, m) => options.Log?.Invoke($"{m.Level} {m.Facility}: {m.Message}"))
                .Build();
        }
        catch (KafkaException ex)
        {
            throw new KappaTransportException($"Could not create the {_description}: {ex.Error.Reason}.", ex);
        }
        catch (ArgumentException ex)
        {
            throw new KappaTransportException($"Invalid configuration for the {_description}: {ex.Message}", ex);
        }

        _onDelivery = OnDelivery;
    }

    /// <summary>How messages name this producer.</summary>
    protected string Description => _description;

    /// <summary>The Confluent producer (transactional calls).</summary>
    protected IProducer<byte[]?, byte[]?> Client => _producer;

    /// <summary>The fatal error librdkafka reported, if any (the producer cannot continue after one).</summary>
    protected Error? FatalError => _fatal;

    public void Produce(in OutgoingRecord record)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ThrowIfFatal();
        BeforeProduce();
        if (string.IsNullOrEmpty(record.Topic))
        {
            throw new ArgumentException("OutgoingRecord.Topic is empty.", nameof(record));
        }

        var message = new Message<byte[]?, byte[]?>
        {
            Key = record.KeyIsNull ? null : record.Key.ToArray(),
            Value = record.ValueIsNull ? null : record.Value.ToArray(),
            Timestamp = record.TimestampMs >= 0 ? new Timestamp(record.TimestampMs, TimestampType.CreateTime) : Timestamp.Default,
            Headers = DecodeHeaders(record.EncodedHeaders, record.Topic),
        };

        Interlocked.Increment(ref _pending);
        while (true)
        {
            try
            {
                if (record.Partition >= 0)
                {
                    _producer.Produce(new CTopicPartition(record.Topic, new Partition(record.Partition)), message, _onDelivery);
                }
                else
                {
                    _producer.Produce(record.Topic, message, _onDelivery);
                }

                return;
            }
            catch (ProduceException<byte[]?, byte[]?> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
            {
                // Back-pressure: let delivery reports drain the local queue, then retry.
                _producer.Poll(TimeSpan.FromMilliseconds(100));
            }
            catch (ProduceException<byte[]?, byte[]?> ex)
            {
                Interlocked.Decrement(ref _pending);
                throw ProduceFailed(
                    $"The {_description} could not produce to {record.Topic}{(record.Partition >= 0 ? $"-{record.Partition}" : string.Empty)}: {ex.Error.Reason} ({ex.Error.Code}).", ex.Error, ex);
            }
            catch (KafkaException ex)
            {
                Interlocked.Decrement(ref _pending);
                throw ProduceFailed($"The {_description} could not produce to {record.Topic}: {ex.Error.Reason} ({ex.Error.Code}).", ex.Error, ex);
            }
        }
    }

    public void Flush(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        WaitForDeliveries(cancellationToken);
        ThrowIfFatal();
        lock (_failureGate)
        {
            if (_firstFailure is { } failure)
            {
                int count = _failures;
                _firstFailure = null;
                _failures = 0;
                _rejected = 0;
                throw DeliveryFailed($"The {_description} could not deliver {count} record(s); the first failure: {failure}.");
            }
        }
    }

    /// <summary>Blocks until every produced record has its delivery report (successful or not); throws on a fatal error.</summary>
    protected void WaitForDeliveries(CancellationToken cancellationToken = default)
    {
        while (Interlocked.Read(ref _pending) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ThrowIfFatal();
            _producer.Flush(TimeSpan.FromMilliseconds(100));
        }
    }

    /// <summary>
    /// The first delivery failure since the last <see cref="Flush"/> or <see cref="ForgetDeliveryFailures"/> (preferring
    /// one the cluster rejected over records librdkafka purged), how many failed, and whether all of them were purged.
    /// </summary>
    protected (string? First, int Count, bool AllPurged) DeliveryFailures()
    {
        lock (_failureGate)
        {
            return (_firstFailure, _failures, _rejected == 0);
        }
    }

    /// <summary>Forgets recorded delivery failures (the records they belonged to were discarded, e.g. by an aborted transaction).</summary>
    protected void ForgetDeliveryFailures()
    {
        lock (_failureGate)
        {
            _firstFailure = null;
            _failures = 0;
            _rejected = 0;
        }
    }

    /// <summary>Called before a record is queued (a transactional producer checks that a transaction is open).</summary>
    protected virtual void BeforeProduce()
    {
    }

    /// <summary>The exception for records that could not be delivered.</summary>
    protected virtual KappaTransportException DeliveryFailed(string message) => new(message);

    /// <summary>The exception for a record librdkafka refused to queue.</summary>
    protected virtual KappaTransportException ProduceFailed(string message, Error error, Exception inner) =>
        KafkaErrors.IsFencing(error) ? new KappaFencedException(message, inner) : new KappaTransportException(message, inner);

    /// <summary>Throws when librdkafka reported a fatal error: <see cref="KappaFencedException"/> when this producer was fenced.</summary>
    protected virtual void ThrowIfFatal()
    {
        if (_fatal is { } fatal)
        {
            string message = $"The {_description} hit a fatal error and cannot continue: {fatal.Reason} ({fatal.Code}).";
            throw KafkaErrors.IsFencing(fatal) ? new KappaFencedException(message) : new KappaTransportException(message);
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _producer.Dispose();
    }

    private void OnDelivery(DeliveryReport<byte[]?, byte[]?> report)
    {
        if (report.Error.IsError)
        {
            lock (_failureGate)
            {
                _failures++;
                bool purged = report.Error.Code is ErrorCode.Local_PurgeQueue or ErrorCode.Local_PurgeInflight;
                if (!purged && _rejected++ == 0)
                {
                    // A record the cluster rejected explains more than records purged because of it.
                    _firstFailure = null;
                }

                _firstFailure ??= $"{report.Topic}-{report.Partition.Value}: {report.Error.Reason} ({report.Error.Code})";
            }
        }

        Interlocked.Decrement(ref _pending);
    }

    private static Headers? DecodeHeaders(ReadOnlySpan<byte> encoded, string topic)
    {
        if (encoded.IsEmpty)
        {
            return null;
        }

        var headers = new Headers();
        try
        {
            foreach (RecordHeader header in new RecordHeaders(encoded))
            {
                headers.Add(Encoding.UTF8.GetString(header.Key), header.ValueIsNull ? null : header.Value.ToArray());
            }
        }
        catch (FormatException ex)
        {
            throw new ArgumentException($"The headers of a record for topic '{topic}' are not in Kafka's record header encoding: {ex.Message}", nameof(encoded), ex);
        }

        return headers;
    }
}
