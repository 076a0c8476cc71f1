namespace Kappa.Transport;

/// <summary>A transport operation failed; the message says which and why.</summary>
public class KappaTransportException : Exception
{
    public KappaTransportException(string message)
        : base(message)
    {
    }

    public KappaTransportException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
