using System.Runtime.InteropServices;
using Kappa.Kafka.Native;

namespace Kappa.Kafka.Testing;

/// <summary>
/// librdkafka's in-process mock Kafka cluster: a protocol-faithful test broker listening on loopback TCP (produce, fetch,
/// consumer groups, offset commits, idempotence). Limits: each partition keeps only its newest 5 MiB / 100,000 message
/// sets; transactions are only partly enforced (librdkafka 2.16 writes commit/abort markers, but aborted records stay
/// visible to read_committed consumers, offsets sent to a transaction are not stored, a second producer with the same
/// transactional id does not fence the first); no CreateTopics/DescribeConfigs (create topics with
/// <see cref="CreateTopic"/>). Thread-safe. See docs/kafka.md.
/// </summary>
public sealed class MockKafkaCluster : IDisposable
{
    private readonly object _gate = new();
    private IntPtr _rk;
    private IntPtr _cluster;

    /// <param name="brokers">Number of brokers (ids 1..n).</param>
    public MockKafkaCluster(int brokers = 3)
    {
        if (brokers < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(brokers), brokers, "A mock cluster needs at least one broker.");
        }

        NativeLibraryLoader.EnsureLoaded();
        BrokerCount = brokers;
        _rk = CreateHostHandle();
        _cluster = LibRdKafka.MockClusterNew(_rk, brokers);
        if (_cluster == IntPtr.Zero)
        {
            LibRdKafka.Destroy(_rk);
            _rk = IntPtr.Zero;
            throw new KafkaMockClusterException($"librdkafka ({LibRdKafka.Version()}) could not create a mock cluster with {brokers} brokers.");
        }

        Bootstrap = Marshal.PtrToStringUTF8(LibRdKafka.MockClusterBootstraps(_cluster))
            ?? throw new KafkaMockClusterException("The mock cluster reported no bootstrap servers.");
    }

    /// <summary>The bootstrap servers ("127.0.0.1:port,...") to give clients.</summary>
    public string Bootstrap { get; }

    public int BrokerCount { get; }

    /// <summary>Creates a topic (replication factor capped at the broker count).</summary>
    public void CreateTopic(string name, int partitions = 1, int replicationFactor = 1)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (partitions < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(partitions), partitions, $"Topic '{name}' needs at least one partition.");
        }

        lock (_gate)
        {
            Check(LibRdKafka.MockTopicCreate(Handle(), name, partitions, Math.Clamp(replicationFactor, 1, BrokerCount)), $"create topic '{name}' with {partitions} partitions");
        }
    }

    /// <summary>Takes a broker down: its connections are closed and new ones refused until <see cref="BrokerUp"/>.</summary>
    public void BrokerDown(int brokerId)
    {
        CheckBroker(brokerId);
        lock (_gate)
        {
            Check(LibRdKafka.MockBrokerSetDown(Handle(), brokerId), $"take broker {brokerId} down");
        }
    }

    public void BrokerUp(int brokerId)
    {
        CheckBroker(brokerId);
        lock (_gate)
        {
            Check(LibRdKafka.MockBrokerSetUp(Handle(), brokerId), $"bring broker {brokerId} up");
        }
    }

    /// <summary>
    /// Makes the next requests with this Kafka API key (0 Produce, 1 Fetch, 2 ListOffsets, 3 Metadata, 8 OffsetCommit,
    /// 9 OffsetFetch, 10 FindCoordinator, 11 JoinGroup, 12 Heartbeat, 14 SyncGroup, ...) fail, one per error code in order
    /// (0 lets a request through), on whichever broker receives them.
    /// </summary>
    public unsafe void PushRequestErrors(short apiKey, params int[] errorCodes)
    {
        ArgumentNullException.ThrowIfNull(errorCodes);
        if (apiKey < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(apiKey), apiKey, "Kafka API keys are non-negative.");
        }

        if (errorCodes.Length == 0)
        {
            return;
        }

        lock (_gate)
        {
            IntPtr cluster = Handle();
            fixed (int* errors = errorCodes)
            {
                LibRdKafka.MockPushRequestErrorsArray(cluster, apiKey, (nuint)errorCodes.Length, errors);
            }
        }
    }

    /// <summary>Forgets errors pushed for this API key that were not consumed yet.</summary>
    public void ClearRequestErrors(short apiKey)
    {
        lock (_gate)
        {
            LibRdKafka.MockClearRequestErrors(Handle(), apiKey);
        }
    }

    /// <summary>Moves the leadership of a partition to a broker (-1: no leader).</summary>
    public void SetPartitionLeader(string topic, int partition, int brokerId)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        if (brokerId != -1)
        {
            CheckBroker(brokerId);
        }

        lock (_gate)
        {
            Check(LibRdKafka.MockPartitionSetLeader(Handle(), topic, partition, brokerId), $"set the leader of {topic}-{partition} to broker {brokerId}");
        }
    }

    /// <summary>Makes a broker the coordinator of a consumer group (<paramref name="keyType"/> "group") or transactional id ("transaction").</summary>
    public void SetCoordinator(string keyType, string key, int brokerId)
    {
        if (keyType is not ("group" or "transaction"))
        {
            throw new ArgumentException($"Coordinator key type must be \"group\" or \"transaction\", not \"{keyType}\".", nameof(keyType));
        }

        ArgumentException.ThrowIfNullOrEmpty(key);
        CheckBroker(brokerId);
        lock (_gate)
        {
            Check(LibRdKafka.MockCoordinatorSet(Handle(), keyType, key, brokerId), $"make broker {brokerId} the {keyType} coordinator of '{key}'");
        }
    }

    /// <summary>
    /// Options for a <see cref="KafkaTransport"/> on this cluster: topics are created through <see cref="CreateTopic"/>, and
    /// <see cref="KafkaTransportOptions.EmulateTransactionalOffsetCommit"/> is on because the mock does not store transactional offsets.
    /// </summary>
    public KafkaTransportOptions TransportOptions() => new()
    {
        BootstrapServers = Bootstrap,
        TopicCreator = spec => CreateTopic(spec.Name, spec.Partitions),
        // The mock never stores offsets sent to a transaction (docs/kafka.md, "Transactions and exactly-once").
        EmulateTransactionalOffsetCommit = true,
    };

    public void Dispose()
    {
        lock (_gate)
        {
            if (_cluster != IntPtr.Zero)
            {
                LibRdKafka.MockClusterDestroy(_cluster);
                _cluster = IntPtr.Zero;
            }

            if (_rk != IntPtr.Zero)
            {
                LibRdKafka.Destroy(_rk);
                _rk = IntPtr.Zero;
            }
        }
    }

    private static unsafe IntPtr CreateHostHandle()
    {
        byte* errstr = stackalloc byte[512];
        IntPtr conf = LibRdKafka.ConfNew();
        // The host handle never connects anywhere; keep it quiet.
        if (LibRdKafka.ConfSet(conf, "log_level", "3", errstr, 512) != LibRdKafka.ConfOk)
        {
            LibRdKafka.ConfDestroy(conf);
            throw new KafkaMockClusterException($"librdkafka rejected the mock host configuration: {Marshal.PtrToStringUTF8((IntPtr)errstr)}");
        }

        IntPtr rk = LibRdKafka.New(LibRdKafka.TypeProducer, conf, errstr, 512);
        if (rk == IntPtr.Zero)
        {
            LibRdKafka.ConfDestroy(conf);
            throw new KafkaMockClusterException($"librdkafka could not create the client handle hosting the mock cluster: {Marshal.PtrToStringUTF8((IntPtr)errstr)}");
        }

        return rk;
    }

    private IntPtr Handle() => _cluster != IntPtr.Zero ? _cluster : throw new ObjectDisposedException(nameof(MockKafkaCluster));

    private void CheckBroker(int brokerId)
    {
        if (brokerId < 1 || brokerId > BrokerCount)
        {
            throw new ArgumentOutOfRangeException(nameof(brokerId), brokerId, $"The mock cluster has brokers 1..{BrokerCount}.");
        }
    }

    private static void Check(int err, string what)
    {
        if (err != 0)
        {
            throw new KafkaMockClusterException($"Mock cluster: could not {what}: {LibRdKafka.ErrorText(err)} (error {err}).");
        }
    }
}
