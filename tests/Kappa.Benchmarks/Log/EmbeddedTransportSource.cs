using Kappa.Log;
using Kappa.Log.Format;
using Kappa.Transport;

namespace Kappa.Benchmarks.Log;

/// <summary>The transport path a generated processor uses: a group member (Subscribe) calling IKappaConsumer.TryConsume.</summary>
public sealed class EmbeddedTransportSource : IReplaySource
{
    private EmbeddedLogTransport? _transport;
    private int _records;
    private int _run;

    public string Name => "EmbeddedLogTransport consumer";

    public void Setup(LogDataset dataset)
    {
        _transport = new EmbeddedLogTransport(dataset.Log, ownsLog: false);
        _records = dataset.Records;
    }

    public long ReplayAll()
    {
        // A new group each time (no committed offsets), so every replay starts at the log start offset.
        using IKappaConsumer consumer = _transport!.CreateConsumer(new ConsumerSettings { GroupId = $"bench-{_run++}" });
        consumer.Subscribe(new[] { LogDataset.Topic });
        long sum = 0;
        for (int i = 0; i < _records; i++)
        {
            if (!consumer.TryConsume(TimeSpan.Zero, out ConsumedRecord record))
            {
                throw new InvalidOperationException($"Replay ended early at record {i}.");
            }

            sum += record.Value.Length + 1;
        }

        return sum;
    }

    public void Dispose() => _transport?.Dispose();
}
