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

    /// <summary>The topic of the record position the failure concerns (for example a corrupt batch a consumer cannot read), when there is one.</summary>
    public string? Topic { get; init; }

    /// <summary>The partition of that record position.</summary>
    public int? Partition { get; init; }

    /// <summary>The offset of the first record that could not be delivered, when known.</summary>
    public long? Offset { get; init; }
}
