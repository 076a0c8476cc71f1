using System.Runtime.InteropServices;
using Kappa.Kafka.Native;
using Kappa.Transport;

namespace Kappa.Kafka;

/// <summary>
/// Messages taken from the consumer group's queue in one <c>rd_kafka_consume_batch_queue</c> call and not handed out yet,
/// in the order librdkafka returned them (per partition: offset order). Owns the queue reference and every message in
/// it: <see cref="Take"/> passes ownership of one message to the caller, <see cref="DestroyWhere"/> and
/// <see cref="DestroyAll"/> destroy what is left. Filled only when empty, so a callback that librdkafka serves inside
/// the batch call (a rebalance) never sees a half-filled buffer. Thread-affine, like the consumer.
/// </summary>
internal sealed unsafe class FetchedMessages : IDisposable
{
    /// <summary>Messages per batch call: enough to spread librdkafka's per-call cost thin, small enough to hold little.</summary>
    internal const int Capacity = 128;

    private readonly string _owner;
    private readonly RdKafkaMessage** _messages;
    private IntPtr _queue;
    private int _next;
    private int _count;
    private bool _filling;

    /// <param name="rk">The consumer's librdkafka handle (it must belong to a consumer group).</param>
    /// <param name="owner">The consumer's description, for errors.</param>
    internal FetchedMessages(IntPtr rk, string owner)
    {
        _owner = owner;
        _queue = LibRdKafka.QueueGetConsumer(rk);
        if (_queue == IntPtr.Zero)
        {
            throw new KappaTransportException($"The {owner} has no consumer group queue to read from (rd_kafka_queue_get_consumer returned none).");
        }

        _messages = (RdKafkaMessage**)NativeMemory.AllocZeroed(Capacity, (nuint)sizeof(RdKafkaMessage*));
    }

    /// <summary>Messages fetched and not taken yet.</summary>
    internal int Count => _count - _next;

    /// <summary>Messages and events librdkafka has fetched into the consumer queue and not handed to this buffer yet.</summary>
    internal long Queued
    {
        get
        {
            ObjectDisposedException.ThrowIf(_queue == IntPtr.Zero, this);
            return (long)LibRdKafka.QueueLength(_queue);
        }
    }

    /// <summary>True while librdkafka fills the buffer (callbacks it serves then run inside <see cref="FillReady"/>).</summary>
    internal bool IsFilling => _filling;

    /// <summary>
    /// Takes, without waiting, up to <see cref="Capacity"/> messages that are ready in the queue (serving any rebalance,
    /// error and log callbacks queued before them). Only when empty. Returns how many it got.
    /// </summary>
    internal int FillReady()
    {
        ObjectDisposedException.ThrowIf(_queue == IntPtr.Zero, this);
        if (_next != _count)
        {
            throw new InvalidOperationException($"The {_owner} refilled its fetched messages with {Count} still buffered.");
        }

        _next = 0;
        _count = 0;
        _filling = true;
        nint got;
        try
        {
            got = LibRdKafka.ConsumeBatchQueue(_queue, 0, _messages, Capacity);
        }
        finally
        {
            _filling = false;
        }

        if (got < 0)
        {
            throw new KappaTransportException($"The {_owner} could not read its consumer queue (rd_kafka_consume_batch_queue failed).");
        }

        _count = (int)got;
        return _count;
    }

    /// <summary>The next message, now owned by the caller, or null when the buffer is empty.</summary>
    internal RdKafkaMessage* Take()
    {
        if (_next == _count)
        {
            return null;
        }

        RdKafkaMessage* message = _messages[_next];
        _messages[_next++] = null;
        return message;
    }

    /// <summary>The offset of the first buffered record (not an event) of this partition, or -1 if none is buffered.</summary>
    internal long FirstOffset(TopicPartition partition, Func<IntPtr, string> topicName)
    {
        for (int i = _next; i < _count; i++)
        {
            RdKafkaMessage* message = _messages[i];
            if (message->Err == 0 && message->Partition == partition.Partition && topicName(message->Rkt) == partition.Topic)
            {
                return message->Offset;
            }
        }

        return -1;
    }

    /// <summary>Destroys the buffered messages (records and events) of the partitions <paramref name="which"/> selects, keeping the order of the rest.</summary>
    internal void DestroyWhere(Func<TopicPartition, bool> which, Func<IntPtr, string> topicName)
    {
        int kept = _next;
        for (int i = _next; i < _count; i++)
        {
            RdKafkaMessage* message = _messages[i];
            _messages[i] = null;
            if (message->Rkt != IntPtr.Zero && which(new TopicPartition(topicName(message->Rkt), message->Partition)))
            {
                LibRdKafka.MessageDestroy(message);
            }
            else
            {
                _messages[kept++] = message;
            }
        }

        _count = kept;
    }

    /// <summary>Destroys every buffered message.</summary>
    internal void DestroyAll()
    {
        while (_next < _count)
        {
            LibRdKafka.MessageDestroy(_messages[_next]);
            _messages[_next++] = null;
        }

        _next = 0;
        _count = 0;
    }

    /// <summary>Destroys what is buffered and releases the queue reference; call before the librdkafka handle is closed.</summary>
    public void Dispose()
    {
        if (_queue == IntPtr.Zero)
        {
            return;
        }

        DestroyAll();
        LibRdKafka.QueueDestroy(_queue);
        _queue = IntPtr.Zero;
        NativeMemory.Free(_messages);
    }
}
