using System.Runtime.InteropServices;

namespace Kappa.Kafka.Native;

/// <summary>rd_kafka_message_t (stable public ABI of librdkafka).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct RdKafkaMessage
{
    public int Err;
    public IntPtr Rkt;
    public int Partition;
    public IntPtr Payload;
    public nuint Len;
    public IntPtr Key;
    public nuint KeyLen;
    public long Offset;
    public IntPtr Private;
}
