namespace Kappa.Transport;

/// <summary>Writes records to topics. Thread-affine: use one producer from one thread at a time.</summary>
public interface IKappaProducer : IDisposable
{
    /// <summary>Queues one record; it is durable once <see cref="Flush"/> returns.</summary>
    void Produce(in OutgoingRecord record);

    /// <summary>Blocks until every record produced so far is acknowledged. Throws <see cref="KappaTransportException"/> naming the first failure.</summary>
    void Flush(CancellationToken cancellationToken = default);
}
