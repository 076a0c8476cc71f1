namespace Kappa.Testing;

/// <summary>
/// The handshake between a test and the runner thread: the runner parks when it has processed and committed every
/// input record it can see, noting how many input records that was; the test releases it after piping more and waits
/// until it parks again (or exits).
/// </summary>
internal sealed class RunnerGate
{
    private readonly object _lock = new();
    private bool _parked;
    private bool _released;
    private bool _stopping;
    private long _parkCount;
    private long _parkedAtInputEnd = -1;
    private bool _exited;
    private Exception? _failure;

    /// <summary>Runner side: parks until released (true) or stopping (false).</summary>
    public bool Park(long inputEnd)
    {
        lock (_lock)
        {
            _parked = true;
            _parkCount++;
            _parkedAtInputEnd = inputEnd;
            Monitor.PulseAll(_lock);
            while (!_released && !_stopping)
            {
                Monitor.Wait(_lock);
            }

            _released = false;
            _parked = false;
            return !_stopping;
        }
    }

    public bool Stopping
    {
        get
        {
            lock (_lock)
            {
                return _stopping;
            }
        }
    }

    /// <summary>Runner side: the runner thread ended, normally or with <paramref name="failure"/>.</summary>
    public void Exited(Exception? failure)
    {
        lock (_lock)
        {
            _exited = true;
            _failure = failure;
            Monitor.PulseAll(_lock);
        }
    }

    /// <summary>
    /// Test side: lets a parked runner go on and waits until it parks with at least <paramref name="inputEnd"/> input
    /// records behind it. Returns the runner's failure if it exited instead; throws <see cref="TimeoutException"/> when
    /// neither happens within <paramref name="timeout"/> (a hung processor fails the test instead of hanging it).
    /// </summary>
    public Exception? RunUntilIdle(long inputEnd, TimeSpan timeout)
    {
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        lock (_lock)
        {
            while (true)
            {
                if (_exited)
                {
                    return _failure ?? new InvalidOperationException("The processor stopped.");
                }

                if (_parked && _parkedAtInputEnd >= inputEnd)
                {
                    return null;
                }

                if (_parked)
                {
                    _released = true;
                    long seen = _parkCount;
                    Monitor.PulseAll(_lock);
                    while (_parkCount == seen && !_exited)
                    {
                        Wait(deadline, inputEnd);
                    }

                    continue;
                }

                Wait(deadline, inputEnd);
            }
        }
    }

    private void Wait(long deadline, long inputEnd)
    {
        long left = deadline - Environment.TickCount64;
        if (left <= 0 || !Monitor.Wait(_lock, TimeSpan.FromMilliseconds(left)) && Environment.TickCount64 >= deadline)
        {
            throw new TimeoutException($"The processor did not finish the {inputEnd} input records piped so far in time (it is still {(_parked ? "parked behind " + _parkedAtInputEnd : "running")}).");
        }
    }

    /// <summary>Test side: asks the runner to stop (with its token cancelled) and wakes it.</summary>
    public void Stop()
    {
        lock (_lock)
        {
            _stopping = true;
            Monitor.PulseAll(_lock);
        }
    }
}
