using System.Runtime.InteropServices;

namespace Kappa.Kafka.Native;

/// <summary>
/// The librdkafka C functions Kappa calls directly: the mock cluster API, a bare client handle to host it, and the
/// zero-copy message accessors the consumer uses. Resolved through <see cref="NativeLibraryLoader"/>.
/// </summary>
internal static unsafe partial class LibRdKafka
{
    private const string Lib = "librdkafka";

    internal const int TypeProducer = 0;

    internal const int ConfOk = 0;

    [LibraryImport(Lib, EntryPoint = "rd_kafka_version_str")]
    internal static partial IntPtr VersionStr();

    /// <summary>A string constant of the library (tests compare its address with the one Confluent.Kafka gets).</summary>
    [LibraryImport(Lib, EntryPoint = "rd_kafka_get_debug_contexts")]
    internal static partial IntPtr DebugContexts();

    [LibraryImport(Lib, EntryPoint = "rd_kafka_conf_new")]
    internal static partial IntPtr ConfNew();

    [LibraryImport(Lib, EntryPoint = "rd_kafka_conf_destroy")]
    internal static partial void ConfDestroy(IntPtr conf);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_conf_set", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int ConfSet(IntPtr conf, string name, string value, byte* errstr, nuint errstrSize);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_new")]
    internal static partial IntPtr New(int type, IntPtr conf, byte* errstr, nuint errstrSize);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_destroy")]
    internal static partial void Destroy(IntPtr rk);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_err2str")]
    internal static partial IntPtr Err2Str(int err);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_cluster_new")]
    internal static partial IntPtr MockClusterNew(IntPtr rk, int brokerCount);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_cluster_destroy")]
    internal static partial void MockClusterDestroy(IntPtr mcluster);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_cluster_bootstraps")]
    internal static partial IntPtr MockClusterBootstraps(IntPtr mcluster);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_topic_create", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int MockTopicCreate(IntPtr mcluster, string topic, int partitionCount, int replicationFactor);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_broker_set_down")]
    internal static partial int MockBrokerSetDown(IntPtr mcluster, int brokerId);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_broker_set_up")]
    internal static partial int MockBrokerSetUp(IntPtr mcluster, int brokerId);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_partition_set_leader", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int MockPartitionSetLeader(IntPtr mcluster, string topic, int partition, int brokerId);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_coordinator_set", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int MockCoordinatorSet(IntPtr mcluster, string keyType, string key, int brokerId);

    /// <summary>The non-variadic form of rd_kafka_mock_push_request_errors (errors are rd_kafka_resp_err_t, a C int).</summary>
    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_push_request_errors_array")]
    internal static partial void MockPushRequestErrorsArray(IntPtr mcluster, short apiKey, nuint count, int* errors);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_clear_request_errors")]
    internal static partial void MockClearRequestErrors(IntPtr mcluster, short apiKey);

    // Consumer fast path (messages are polled on the Confluent consumer's own handle).
    [LibraryImport(Lib, EntryPoint = "rd_kafka_consumer_poll")]
    internal static partial RdKafkaMessage* ConsumerPoll(IntPtr rk, int timeoutMs);

    /// <summary>The consumer group's queue (where rd_kafka_consumer_poll reads); a new reference, released with <see cref="QueueDestroy"/>.</summary>
    [LibraryImport(Lib, EntryPoint = "rd_kafka_queue_get_consumer")]
    internal static partial IntPtr QueueGetConsumer(IntPtr rk);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_queue_destroy")]
    internal static partial void QueueDestroy(IntPtr rkqu);

    /// <summary>Messages and events waiting in the queue (those of partitions forwarded to it included).</summary>
    [LibraryImport(Lib, EntryPoint = "rd_kafka_queue_length")]
    internal static partial nuint QueueLength(IntPtr rkqu);

    /// <summary>
    /// Up to <paramref name="size"/> messages (records, partition-EOF and error events) from the queue, serving callbacks
    /// (rebalance, error, log) on the way; -1 on error. Waits up to <paramref name="timeoutMs"/> for the batch to fill.
    /// </summary>
    [LibraryImport(Lib, EntryPoint = "rd_kafka_consume_batch_queue")]
    internal static partial nint ConsumeBatchQueue(IntPtr rkqu, int timeoutMs, RdKafkaMessage** messages, nuint size);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_message_destroy")]
    internal static partial void MessageDestroy(RdKafkaMessage* message);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_message_timestamp")]
    [SuppressGCTransition] // short, non-blocking accessor on the consuming thread
    internal static partial long MessageTimestamp(RdKafkaMessage* message, int* timestampType);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_message_headers")]
    [SuppressGCTransition] // short, non-blocking accessor on the consuming thread
    internal static partial int MessageHeaders(RdKafkaMessage* message, IntPtr* headers);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_header_cnt")]
    [SuppressGCTransition] // short, non-blocking accessor on the consuming thread
    internal static partial nuint HeaderCount(IntPtr headers);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_header_get_all")]
    [SuppressGCTransition] // short, non-blocking accessor on the consuming thread
    internal static partial int HeaderGetAll(IntPtr headers, nuint index, byte** name, byte** value, nuint* size);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_topic_name")]
    [SuppressGCTransition] // short, non-blocking accessor on the consuming thread
    internal static partial byte* TopicName(IntPtr rkt);

    internal static string ErrorText(int err) => Marshal.PtrToStringUTF8(Err2Str(err)) ?? $"error {err}";

    internal static string Version() => Marshal.PtrToStringUTF8(VersionStr()) ?? "unknown";
}
