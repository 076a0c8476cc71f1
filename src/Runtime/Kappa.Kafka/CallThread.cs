using System.Runtime.ExceptionServices;

namespace Kappa.Kafka;

/// <summary>
/// A thread of its own that makes blocking library calls one at a time for a caller that waits a bounded time: when a
/// call does not return in time, the caller stops waiting and the thread stays with that call (abandon it with
/// <see cref="Dispose"/>; it ends if the call ever returns). Not a pool thread, so a busy thread pool cannot make a call
/// look stuck.
/// </summary>
internal sealed class CallThread : IDisposable
{
    private readonly object _gate = new();
    private Action? _work;
    private Exception? _error;
    private bool _done;
    private bool _stopped;

    public CallThread(string name)
    {
        new Thread(Loop) { IsBackground = true, Name = name }.Start();
    }

    /// <summary>
    /// Runs <paramref name="work"/> on this thread and waits up to <paramref name="limit"/>. True when it returned (its
    /// exception, if any, is rethrown here); false when it is still running - this thread is then lost to it.
    /// </summary>
    public bool TryRun(Action work, TimeSpan limit)
    {
        long deadline = Environment.TickCount64 + (long)limit.TotalMilliseconds;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopped, this);
            _work = work;
            _done = false;
            _error = null;
            Monitor.PulseAll(_gate);
            while (!_done)
            {
                long left = deadline - Environment.TickCount64;
                if (left <= 0)
                {
                    return false;
                }

                Monitor.Wait(_gate, (int)Math.Min(left, int.MaxValue));
            }

            if (_error is { } error)
            {
                _error = null;
                ExceptionDispatchInfo.Capture(error).Throw();
            }

            return true;
        }
    }

    /// <summary>Ends the thread once it is idle (at once if it is, else when its current call returns).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _stopped = true;
            Monitor.PulseAll(_gate);
        }
    }

    private void Loop()
    {
        while (true)
        {
            Action work;
            lock (_gate)
            {
                while (_work is null && !_stopped)
                {
                    Monitor.Wait(_gate);
                }

                if (_stopped)
                {
                    return;
                }

                work = _work!;
                _work = null;
            }

            Exception? error = null;
            try
            {
                work();
            }
            catch (Exception e)
            {
                error = e;
            }

            lock (_gate)
            {
                _error = error;
                _done = true;
                Monitor.PulseAll(_gate);
            }
        }
    }
}
