using Kappa.Transport;

namespace Kappa.Log;

/// <summary>A batch in the log failed validation (CRC, length, magic); it is never served.</summary>
public sealed class LogCorruptException : KappaTransportException
{
    public LogCorruptException(string message)
        : base(message)
    {
    }
}
