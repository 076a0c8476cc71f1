using System.Collections.Concurrent;
using System.Data.Common;

namespace Kappa.Lifecycle.Tests.Infrastructure;

/// <summary>
/// Threads that query a serving view over and over until disposed, and record every error and every read that shows
/// rows of more than one version (the view must always show one whole version).
/// </summary>
public sealed class ViewReaders : IDisposable
{
    private readonly ManualResetEventSlim _stop = new();
    private readonly List<Thread> _threads = new();
    private long _reads;

    public ViewReaders(Func<DbConnection> open, string view, int readers = 2)
    {
        for (int i = 0; i < readers; i++)
        {
            var thread = new Thread(() => Read(open, view)) { IsBackground = true, Name = "view reader " + i };
            _threads.Add(thread);
            thread.Start();
        }
    }

    public ConcurrentQueue<string> Errors { get; } = new();

    /// <summary>Versions seen by reads that found rows, in order of first sight.</summary>
    public ConcurrentDictionary<int, long> VersionsSeen { get; } = new();

    public long Reads => Interlocked.Read(ref _reads);

    public void Dispose()
    {
        _stop.Set();
        foreach (Thread thread in _threads)
        {
            Assert.True(thread.Join(TimeSpan.FromSeconds(60)), $"{thread.Name} did not stop");
        }

        _stop.Dispose();
    }

    private void Read(Func<DbConnection> open, string view)
    {
        using DbConnection connection = open();
        while (!_stop.IsSet)
        {
            try
            {
                using DbCommand command = connection.CreateCommand();
                command.CommandText = $"SELECT count(*), min(version), max(version) FROM \"{view}\"";
                using DbDataReader reader = command.ExecuteReader();
                reader.Read();
                long rows = reader.GetInt64(0);
                if (rows > 0)
                {
                    int min = reader.GetInt32(1), max = reader.GetInt32(2);
                    if (min != max)
                    {
                        Errors.Enqueue($"the view showed rows of v{min} and v{max} at once");
                    }

                    VersionsSeen.AddOrUpdate(min, 1, (_, n) => n + 1);
                }

                Interlocked.Increment(ref _reads);
            }
            catch (Exception error)
            {
                Errors.Enqueue($"{error.GetType().Name}: {error.Message}");
                Thread.Sleep(5);
            }
        }
    }
}
