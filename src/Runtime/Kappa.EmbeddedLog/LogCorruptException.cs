using Kappa.Transport;

namespace Kappa.Log;

/// <summary>
/// A batch in the log failed validation (CRC, length, magic, offsets); it is never served. <see cref="KappaTransportException.Topic"/>,
/// <see cref="KappaTransportException.Partition"/> and <see cref="KappaTransportException.Offset"/> say where, when a read hit it.
/// </summary>
public sealed class LogCorruptException : KappaTransportException
{
    public LogCorruptException(string message)
        : base(message)
    {
    }

    public LogCorruptException(string message, string topic, int partition, long? offset)
        : base(message)
    {
        Topic = topic;
        Partition = partition;
        Offset = offset;
    }
}
