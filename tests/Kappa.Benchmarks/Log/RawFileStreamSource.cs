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
