using Kappa.Log;
using Kappa.Log.Format;
using Microsoft.Extensions.Logging;

namespace Kappa.Log.Tests;

internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "kappa-log-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

internal sealed class ManualTime : TimeProvider
{
    public ManualTime(long startMs = 1_700_000_000_000)
    {
        NowMs = startMs;
    }

    public long NowMs { get; set; }

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(NowMs);
}

internal sealed class ListLogger : ILogger
{
    public List<string> Messages { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (Messages)
        {
            Messages.Add($"{logLevel}: {formatter(state, exception)}");
        }
    }
}

internal sealed record TestRecord(long Offset, long Timestamp, byte[]? Key, byte[]? Value, byte[] Headers);

internal static class LogTestSupport
{
    public static EmbeddedLogOptions Options(string dir, ManualTime? time = null, ListLogger? logger = null) => new()
    {
        Directory = dir,
        FsyncPolicy = FsyncPolicy.Never,
        MaintenanceInterval = null,
        TimeProvider = time ?? new ManualTime(),
        Logger = logger ?? new ListLogger(),
    };

    /// <summary>Appends one batch of records; returns its base offset.</summary>
    public static long AppendBatch(PartitionLog log, IReadOnlyList<(byte[]? Key, byte[]? Value, long Timestamp)> records, byte[]? headers = null)
    {
        using var builder = new RecordBatchBuilder();
        foreach ((byte[]? key, byte[]? value, long ts) in records)
        {
            builder.Append(ts, key, key is null, value, value is null, headers);
        }

        return log.Append(builder.Finish());
    }

    /// <summary>Appends a transaction marker (COMMIT or ABORT control batch) of <paramref name="producerId"/>, epoch 0.</summary>
    public static void AppendMarker(PartitionLog log, long producerId, bool commit)
    {
        using var marker = new RecordBatchBuilder();
        marker.Attributes = RecordBatch.ControlMask | RecordBatch.TransactionalMask;
        marker.ProducerId = producerId;
        marker.ProducerEpoch = 0;
        marker.Append(2000, new byte[] { 0, 0, 0, commit ? (byte)1 : (byte)0 }, false, new byte[] { 0, 0, 0, 0, 0, 0 }, false, default);
        log.Append(marker.Finish());
    }

    public static List<TestRecord> ReadAll(PartitionLog log, long from = 0)
    {
        var result = new List<TestRecord>();
        using PartitionReader reader = log.OpenReader(from);
        while (reader.TryRead(out BatchRecord r))
        {
            result.Add(new TestRecord(r.Offset, r.TimestampMs, r.KeyIsNull ? null : r.Key.ToArray(), r.ValueIsNull ? null : r.Value.ToArray(), r.EncodedHeaders.ToArray()));
        }

        return result;
    }

    public static byte[] Bytes(string s) => System.Text.Encoding.UTF8.GetBytes(s);
}
