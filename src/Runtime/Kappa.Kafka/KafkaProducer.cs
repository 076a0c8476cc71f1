using System.Collections.Concurrent;
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
    /// <summary>
    /// Clients given up on because a librdkafka call on them never returned (<see cref="AbandonClient"/>). Destroying one
    /// would block forever too (<c>rd_kafka_destroy</c> waits for a broker thread the stuck request keeps alive), so
    /// they are kept referenced here, never disposed and never finalized, until the process exits.
    /// </summary>
    private static readonly ConcurrentBag<IProducer<byte[]?, byte[]?>> Abandoned = [];

    private readonly KafkaTransportOptions _options;
    private readonly Func<Dictionary<string, string>> _config;
    private readonly string _description;
    private IProducer<byte[]?, byte[]?> _producer;
    private DeliveryTracker _deliveries;
    private Error? _fatal;
    private int _generation;
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
        _options = options;
        _config = config;
        _description = description;
        _producer = BuildClient();
        _deliveries = new DeliveryTracker();
    }

    /// <summary>Number of librdkafka clients this process keeps because a call on them never returned.</summary>
    internal static int AbandonedCount => Abandoned.Count;

    /// <summary>How messages name this producer.</summary>
    protected string Description => _description;

    /// <summary>The Confluent producer (transactional calls); another one after <see cref="AbandonClient"/>.</summary>
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

        DeliveryTracker deliveries = _deliveries;
        deliveries.Queued();
        while (true)
        {
            try
            {
                if (record.Partition >= 0)
                {
                    _producer.Produce(new CTopicPartition(record.Topic, new Partition(record.Partition)), message, deliveries.OnDelivery);
                }
                else
                {
                    _producer.Produce(record.Topic, message, deliveries.OnDelivery);
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
                deliveries.NotQueued();
                throw ProduceFailed(
                    $"The {_description} could not produce to {record.Topic}{(record.Partition >= 0 ? $"-{record.Partition}" : string.Empty)}: {ex.Error.Reason} ({ex.Error.Code}).", ex.Error, ex);
            }
            catch (KafkaException ex)
            {
                deliveries.NotQueued();
                throw ProduceFailed($"The {_description} could not produce to {record.Topic}: {ex.Error.Reason} ({ex.Error.Code}).", ex.Error, ex);
            }
        }
    }

    public void Flush(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        WaitForDeliveries(cancellationToken);
        ThrowIfFatal();
        if (_deliveries.TakeFailures() is ({ } failure, int count))
        {
            throw DeliveryFailed($"The {_description} could not deliver {count} record(s); the first failure: {failure}.");
        }
    }

    /// <summary>Blocks until every produced record has its delivery report (successful or not); throws on a fatal error.</summary>
    protected void WaitForDeliveries(CancellationToken cancellationToken = default)
    {
        while (_deliveries.Pending > 0)
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
    protected (string? First, int Count, bool AllPurged) DeliveryFailures() => _deliveries.Failures();

    /// <summary>Forgets recorded delivery failures (the records they belonged to were discarded, e.g. by an aborted transaction).</summary>
    protected void ForgetDeliveryFailures() => _deliveries.TakeFailures();

    /// <summary>
    /// Gives up on the current librdkafka client after a call on it never returned (librdkafka 2.16 can wait forever for
    /// a coordinator it decommissioned, see docs/kafka.md): it is kept, never destroyed (that would block as well), and
    /// a new client with the same configuration takes its place. Records produced on the old one and not yet reported
    /// are forgotten with it (their transaction is abandoned too). The caller re-initializes what the new client needs.
    /// </summary>
    protected void AbandonClient()
    {
        Abandoned.Add(_producer);
        _producer = BuildClient();
        _fatal = null;
        _deliveries = new DeliveryTracker();
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
        DisposeExtras();
    }

    /// <summary>Releases what a derived producer holds besides the client (called once, by <see cref="Dispose"/>).</summary>
    protected virtual void DisposeExtras()
    {
    }

    private IProducer<byte[]?, byte[]?> BuildClient()
    {
        // Errors of an abandoned client are only logged: its fatal error is not the new client's.
        int generation = Interlocked.Increment(ref _generation);
        return KafkaClients.Build(_description, () => new ProducerBuilder<byte[]?, byte[]?>(_config())
            .SetErrorHandler((_, error) =>
            {
                if (generation == Volatile.Read(ref _generation))
                {
                    KafkaClients.OnError(_options, _description, error, ref _fatal);
                }
                else
                {
                    _options.Log?.Invoke($"{_description} (abandoned client): {error.Code}: {error.Reason}");
                }
            })
            .SetLogHandler((_, m) => KafkaClients.OnLog(_options, m))
            .Build());
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
