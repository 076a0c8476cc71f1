using Kappa.Log.Storage;

namespace Kappa.Log.Transport;

/// <summary>
/// The read-ahead thread of one <see cref="EmbeddedLogConsumer"/>: fills its partitions' <see cref="PartitionFeed"/>s
/// while the consumer's thread processes records, so reading the log (file reads, CRC checks, record parsing,
/// read_committed filtering) overlaps with processing instead of adding to it. Sleeps when every feed is full or at
/// the log end, and wakes when the log changes (<see cref="LogSignal"/>) or the consumer frees a chunk.
/// <see cref="Signal"/> tells the consumer's thread that a feed has something new or that the log changed.
/// </summary>
internal sealed class ReadAheadWorker : IDisposable
{
    private readonly LogSignal _logSignal;
    private readonly Func<bool> _transportDisposed;
    private readonly string _name;
    private readonly object _gate = new();
    private PartitionFeed[] _feeds = Array.Empty<PartitionFeed>();
    private Thread? _thread;
    private bool _wake;
    private bool _stopping;

    public ReadAheadWorker(LogSignal logSignal, Func<bool> transportDisposed, string name)
    {
        _logSignal = logSignal;
        _transportDisposed = transportDisposed;
        _name = name;
        _logSignal.AddListener(OnLogChanged);
    }

    /// <summary>True while the worker thread runs (tests).</summary>
    internal bool IsRunning => _thread is { IsAlive: true };

    /// <summary>Pulsed when a feed published records (or an error) and whenever the log signal is pulsed.</summary>
    public LogSignal Signal { get; } = new();

    public void Add(PartitionFeed feed)
    {
        lock (_gate)
        {
            _feeds = [.. _feeds, feed];
            if (_thread is null && !_stopping)
            {
                _thread = new Thread(Run) { IsBackground = true, Name = _name };
                _thread.Start();
            }

            _wake = true;
            Monitor.Pulse(_gate);
        }
    }

    /// <summary>Forgets a feed (the caller disposes it).</summary>
    public void Remove(PartitionFeed feed)
    {
        lock (_gate)
        {
            _feeds = Array.FindAll(_feeds, f => !ReferenceEquals(f, feed));
        }
    }

    /// <summary>Something may be fillable again (a chunk was freed).</summary>
    public void Wake()
    {
        lock (_gate)
        {
            _wake = true;
            Monitor.Pulse(_gate);
        }
    }

    public void Dispose()
    {
        Thread? thread;
        lock (_gate)
        {
            if (_stopping)
            {
                return;
            }

            _stopping = true;
            _feeds = Array.Empty<PartitionFeed>();
            thread = _thread;
            Monitor.Pulse(_gate);
        }

        _logSignal.RemoveListener(OnLogChanged);
        if (thread is not null && thread != Thread.CurrentThread)
        {
            thread.Join();
        }
    }

    private void OnLogChanged()
    {
        Wake();
        Signal.Pulse();
    }

    private void Run()
    {
        while (true)
        {
            PartitionFeed[] feeds;
            lock (_gate)
            {
                while (!_wake && !_stopping)
                {
                    Monitor.Wait(_gate);
                }

                if (_stopping || _transportDisposed())
                {
                    return;
                }

                _wake = false;
                feeds = _feeds;
            }

            // Fill until nothing more can be filled; the version is read before reading so that an append during a
            // pass changes it and the feeds that reached the end try again.
            bool progress = true;
            while (progress && !Volatile.Read(ref _stopping))
            {
                progress = false;
                long version = _logSignal.Version;
                foreach (PartitionFeed feed in feeds)
                {
                    if (feed.Fill(version, _transportDisposed))
                    {
                        progress = true;
                        Signal.Pulse();
                    }
                }

                if (progress)
                {
                    lock (_gate)
                    {
                        feeds = _feeds;
                    }
                }
            }

            // Feeds that reached the end in this pass are now known to be caught up: tell a waiting consumer.
            Signal.Pulse();
        }
    }
}
