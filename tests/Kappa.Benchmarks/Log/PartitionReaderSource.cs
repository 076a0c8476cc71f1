using Kappa.Log;
using Kappa.Log.Format;
using Kappa.Transport;

namespace Kappa.Benchmarks.Log;

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
