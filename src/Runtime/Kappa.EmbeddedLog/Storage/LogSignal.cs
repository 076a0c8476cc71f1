namespace Kappa.Log.Storage;

/// <summary>
/// Wakes readers waiting at the tail when data is appended (or group membership changes), without spinning:
/// a version counter plus Monitor wait/pulse.
/// </summary>
internal sealed class LogSignal
{
    private readonly object _gate = new();
    private long _version;
    private Action[] _listeners = Array.Empty<Action>();

    public long Version => Volatile.Read(ref _version);

    public void Pulse()
    {
        lock (_gate)
        {
            _version++;
            Monitor.PulseAll(_gate);
        }

        foreach (Action listener in Volatile.Read(ref _listeners))
        {
            listener();
        }
    }

    /// <summary>Calls <paramref name="listener"/> after every pulse, on the pulsing thread (it must be quick and not throw).</summary>
    public void AddListener(Action listener)
    {
        lock (_gate)
        {
            _listeners = [.. _listeners, listener];
        }
    }

    public void RemoveListener(Action listener)
    {
        lock (_gate)
        {
            _listeners = Array.FindAll(_listeners, l => l != listener);
        }
    }

    /// <summary>Waits until the version differs from <paramref name="seen"/> or the timeout passes; true when it changed.</summary>
    public bool Wait(long seen, TimeSpan timeout)
    {
        lock (_gate)
        {
            if (_version != seen)
            {
                return true;
            }

            if (timeout <= TimeSpan.Zero)
            {
                return false;
            }

            Monitor.Wait(_gate, timeout);
            return _version != seen;
        }
    }
}
