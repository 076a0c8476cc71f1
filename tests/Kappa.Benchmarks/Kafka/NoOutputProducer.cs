using Kappa.Transport;

namespace Kappa.Benchmarks.Kafka;

/// <summary>The producer handed to a dispatcher whose handler returns nothing: any call is a benchmark bug.</summary>
internal sealed class NoOutputProducer : IKappaProducer
{
    public void Produce(in OutgoingRecord record) => throw new InvalidOperationException("The benchmark processor must not produce.");

    public void Flush(CancellationToken cancellationToken = default)
    {
    }

    public void Dispose()
    {
    }
}
