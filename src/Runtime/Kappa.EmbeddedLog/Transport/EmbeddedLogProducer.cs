using Kappa.Log.Format;
using Kappa.Transport;

namespace Kappa.Log.Transport;

/// <summary>
/// A producer on the embedded log: records collect per partition into a batch that is appended when it reaches
/// <see cref="EmbeddedLogOptions.ProducerBatchRecords"/> or <see cref="EmbeddedLogOptions.ProducerBatchBytes"/>, and on <see cref="Flush"/>.
/// Records become visible to consumers when their batch is appended. Thread-affine.
/// </summary>
internal sealed class EmbeddedLogProducer : IKappaProducer
{
    private readonly EmbeddedLogTransport _transport;
    private readonly Dictionary<string, TopicBatches> _topics = new(StringComparer.Ordinal);
    private readonly HashSet<PartitionLog> _touched = new();
    private TopicBatches? _last;
    private bool _disposed;

    public EmbeddedLogProducer(EmbeddedLogTransport transport)
    {
        _transport = transport;
    }

    public void Produce(in OutgoingRecord record)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        TopicBatches topic = _last is not null && ReferenceEquals(_last.Name, record.Topic) ? _last : GetTopic(record.Topic);
        _last = topic;
        int count = topic.Partitions.Length;
        int partition = ProducerPartitioning.Choose(record, count, topic.Sticky);

        if (record.KeyIsNull && topic.Partitions[partition].Config.Compacted)
        {
            throw new KappaTransportException($"Cannot produce a record without a key to compacted topic '{record.Topic}': compaction keeps the latest record per key.");
        }

        RecordBatchBuilder builder = topic.Builders[partition] ??= new RecordBatchBuilder(Math.Min(_transport.Log.Options.ProducerBatchBytes + 4096, 1024 * 1024));
        long timestamp = record.TimestampMs >= 0 ? record.TimestampMs : _transport.Log.Options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        builder.Append(timestamp, record.Key, record.KeyIsNull, record.Value, record.ValueIsNull, record.EncodedHeaders);
        EmbeddedLogOptions options = _transport.Log.Options;
        if (builder.Count >= options.ProducerBatchRecords || builder.SizeInBytes >= options.ProducerBatchBytes)
        {
            Send(topic, partition);
        }
    }

    public void Flush(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        foreach (TopicBatches topic in _topics.Values)
        {
            for (int p = 0; p < topic.Builders.Length; p++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (topic.Builders[p] is { Count: > 0 })
                {
                    Send(topic, p);
                }
            }
        }

        foreach (PartitionLog log in _touched)
        {
            log.Flush();
        }

        _touched.Clear();
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        if (!_transport.IsDisposed)
        {
            Flush();
        }

        _disposed = true;
        foreach (TopicBatches topic in _topics.Values)
        {
            foreach (RecordBatchBuilder? b in topic.Builders)
            {
                b?.Dispose();
            }
        }
    }

    private void Send(TopicBatches topic, int partition)
    {
        RecordBatchBuilder builder = topic.Builders[partition]!;
        PartitionLog log = topic.Partitions[partition];
        try
        {
            log.Append(builder.Finish());
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            throw new KappaTransportException($"Appending {builder.Count} record(s) to {log} failed: {e.Message}", e);
        }
        finally
        {
            builder.Reset();
        }

        _touched.Add(log);
        if (partition == topic.Sticky && topic.Partitions.Length > 1)
        {
            topic.Sticky = (topic.Sticky + 1) % topic.Partitions.Length;
        }
    }

    private TopicBatches GetTopic(string name)
    {
        if (_topics.TryGetValue(name, out TopicBatches? t))
        {
            return t;
        }

        PartitionLog[] partitions = _transport.GetOrCreateTopic(name);
        t = new TopicBatches(name, partitions, new RecordBatchBuilder?[partitions.Length]);
        _topics[name] = t;
        return t;
    }

    private sealed class TopicBatches(string name, PartitionLog[] partitions, RecordBatchBuilder?[] builders)
    {
        public string Name { get; } = name;

        public PartitionLog[] Partitions { get; } = partitions;

        public RecordBatchBuilder?[] Builders { get; } = builders;

        public int Sticky { get; set; }
    }
}
