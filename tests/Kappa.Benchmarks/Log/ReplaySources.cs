using Kappa.Log;
using Kappa.Log.Format;
using Kappa.Transport;

namespace Kappa.Benchmarks.Log;

/// <summary>The physical limit: sequential FileStream reads of the segment files into one buffer, no parsing.</summary>
public sealed class RawFileStreamSource : IReplaySource
{
    private readonly byte[] _buffer = new byte[1024 * 1024];
    private string[] _files = Array.Empty<string>();

    public string Name => "raw FileStream";

    public void Setup(LogDataset dataset) => _files = dataset.SegmentFiles().ToArray();

    public long ReplayAll()
    {
        long total = 0;
        foreach (string file in _files)
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
            int n;
            while ((n = stream.Read(_buffer, 0, _buffer.Length)) > 0)
            {
                total += n;
            }
        }

        return total;
    }

    public void Dispose()
    {
    }
}

/// <summary>The embedded log's own reader (CRC-checked batches, spans per record).</summary>
public sealed class PartitionReaderSource : IReplaySource
{
    private PartitionReader? _reader;

    public string Name => "PartitionReader";

    public void Setup(LogDataset dataset) => _reader = dataset.Partition.OpenReader(0);

    public long ReplayAll()
    {
        PartitionReader reader = _reader!;
        reader.Seek(0);
        long sum = 0;
        while (reader.TryRead(out BatchRecord record))
        {
            sum += record.Value.Length + 1;
        }

        return sum;
    }

    public void Dispose() => _reader?.Dispose();
}

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
