using Kappa.Log;
using Kappa.Log.Format;

namespace Kappa.Benchmarks.Log;

/// <summary>Builds a one-partition embedded log of fixed-size records in a temporary directory.</summary>
public sealed class LogDataset : IDisposable
{
    private LogDataset(string directory, EmbeddedLog log, PartitionLog partition, int records)
    {
        Directory = directory;
        Log = log;
        Partition = partition;
        Records = records;
    }

    public string Directory { get; }

    public EmbeddedLog Log { get; }

    public PartitionLog Partition { get; }

    public int Records { get; }

    public const string Topic = "bench";

    public static LogDataset Create(int records, int valueSize, int batchSize = 1000)
    {
        string dir = Path.Combine(Path.GetTempPath(), "kappa-log-bench", Guid.NewGuid().ToString("N"));
        var log = EmbeddedLog.Open(new EmbeddedLogOptions { Directory = dir, FsyncPolicy = FsyncPolicy.Never, MaintenanceInterval = null });
        log.EnsureTopic(Topic, new TopicConfig(1));
        PartitionLog partition = log.GetPartition(Topic, 0);
        byte[] value = new byte[valueSize];
        new Random(1).NextBytes(value);
        Span<byte> key = stackalloc byte[8];
        using var builder = new RecordBatchBuilder(batchSize * (valueSize + 32));
        for (int i = 0; i < records;)
        {
            builder.Reset();
            for (int j = 0; j < batchSize && i < records; j++, i++)
            {
                BitConverter.TryWriteBytes(key, (long)i);
                builder.Append(1_700_000_000_000 + i, key, false, value, false, default);
            }

            partition.Append(builder.Finish());
        }

        partition.Flush(force: true);
        return new LogDataset(dir, log, partition, records);
    }

    public IEnumerable<string> SegmentFiles() => System.IO.Directory.GetFiles(Partition.Directory, "*.log").Order(StringComparer.Ordinal);

    public void Dispose()
    {
        Log.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
