namespace Kappa.Transport;

/// <summary>
/// A newer producer with the same transactional id has taken over (after a rebalance or a restart): this instance must
/// stop writing for the partitions it thought it owned. Not retriable for this producer.
/// </summary>
public sealed class KappaFencedException : KappaTransportException
{
    public KappaFencedException(string message)
        : base(message)
    {
    }

    public KappaFencedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
