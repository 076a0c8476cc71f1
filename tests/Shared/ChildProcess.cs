using System.Diagnostics;
using System.Text;

namespace Kappa.Tests;

/// <summary>
/// A .NET child process a test drives (a test host such as kappa-crash-host or kappa-sink-host): its stdout lines are
/// collected for the test to wait on; <see cref="Kill"/> sends SIGKILL (no cleanup runs in the child),
/// <see cref="RequestStop"/> writes "stop" to its stdin for a clean stop. Every wait is bounded, and every failure
/// shows the child's output.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = new();
    private readonly StringBuilder _stderr = new();
    private readonly string _name;
    private readonly Func<string, bool>? _isProgress;
    private Thread? _stdoutReader;
    private Thread? _stderrReader;
    private bool _stdoutEnded;

    private ChildProcess(string name, Process process, Func<string, bool>? isProgress)
    {
        _name = name;
        _isProgress = isProgress;
        _process = process;
    }

    public int ProcessId => _process.Id;

    public string Name => _name;

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Starts <c>dotnet <paramref name="dll"/> <paramref name="arguments"/></c>, named <paramref name="name"/> in messages;
    /// <paramref name="isProgress"/> tells the routine progress lines that failure messages leave out of the events.
    /// </summary>
    public static ChildProcess Start(string name, string dll, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, Func<string, bool>? isProgress = null)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(dll);
        foreach (string a in arguments)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        foreach (KeyValuePair<string, string> variable in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[variable.Key] = variable.Value;
        }

        var process = new Process { StartInfo = psi };
        var host = new ChildProcess(name, process, isProgress);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {name}: dotnet {dll}");
        }

        // Each stream is read on a thread of its own, not by the thread pool's async reads, which can fall behind while
        // the test process's pool is busy (other tests blocking in parallel); a test that acts on what the child printed
        // (kill after N batches) would then act long after the child had moved on. The process's exit does not wait for
        // these threads: WaitForExit and Kill join them, so Lines holds every line the child printed once they return.
        host._stdoutReader = Reader(
            name + " stdout",
            process.StandardOutput,
            line =>
            {
                lock (host._lines)
                {
                    host._lines.Add(line);
                    Monitor.PulseAll(host._lines);
                }
            },
            () =>
            {
                lock (host._lines)
                {
                    host._stdoutEnded = true;
                    Monitor.PulseAll(host._lines);
                }
            });
        host._stderrReader = Reader(
            name + " stderr",
            process.StandardError,
            line =>
            {
                lock (host._stderr)
                {
                    if (host._stderr.Length < 20_000)
                    {
                        host._stderr.AppendLine(line);
                    }
                }
            },
            () => { });
        return host;

        static Thread Reader(string name, StreamReader stream, Action<string> onLine, Action onEnd)
        {
            var thread = new Thread(() =>
            {
                try
                {
                    while (stream.ReadLine() is { } line)
                    {
                        onLine(line);
                    }
                }
                catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
                {
                    // the process was disposed while the stream was being read: nothing more to collect
                }
                finally
                {
                    onEnd();
                }
            }) { IsBackground = true, Name = name };
            thread.Start();
            return thread;
        }
    }

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return _lines.ToArray();
            }
        }
    }

    /// <summary>Waits for a stdout line matching <paramref name="predicate"/>; fails with the output so far on timeout or exit.</summary>
    public string WaitForLine(Func<string, bool> predicate, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        int seen = 0;
        lock (_lines)
        {
            while (true)
            {
                for (; seen < _lines.Count; seen++)
                {
                    if (predicate(_lines[seen]))
                    {
                        return _lines[seen];
                    }
                }

                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    throw new TimeoutException($"{_name} did not print {what} within {timeout}.\n{Describe()}");
                }

                // Every line was read (its stdout ended) and the child is gone: the line will not come. (Exited alone is not
                // enough: the reader thread may still be behind the child's last lines on a loaded machine.)
                if (_stdoutEnded && _process.HasExited)
                {
                    throw new InvalidOperationException($"{_name} exited (code {_process.ExitCode}) before printing {what}.\n{Describe()}");
                }

                Monitor.Wait(_lines, left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
            }
        }
    }

    /// <summary>SIGKILL: the child gets no chance to flush, commit or leave its group.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
        }

        if (!_process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException($"{_name} (pid {_process.Id}) did not die within 30 s of SIGKILL.");
        }

        JoinReaders();
    }

    public void RequestStop()
    {
        if (!_process.HasExited)
        {
            _process.StandardInput.WriteLine("stop");
            _process.StandardInput.Flush();
        }
    }

    /// <summary>Asks for a clean stop and waits for the exit (see <see cref="WaitForExit"/>).</summary>
    public int Stop(TimeSpan timeout)
    {
        RequestStop();
        return WaitForExit(timeout);
    }

    /// <summary>Waits for the exit and returns its code; kills the child and fails on timeout.</summary>
    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            string state = Describe();
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{_name} did not exit within {timeout}.\n{state}");
        }

        _process.WaitForExit();
        JoinReaders();
        return _process.ExitCode;
    }

    /// <summary>After the exit: waits (bounded) until the reader threads read the child's output to its end.</summary>
    private void JoinReaders()
    {
        var limit = TimeSpan.FromSeconds(60);
        if (!(_stdoutReader?.Join(limit) ?? true) || !(_stderrReader?.Join(limit) ?? true))
        {
            throw new TimeoutException($"{_name} exited but its output was not read to the end within {limit} (does a process it started keep its stdout open?).\n{Describe()}");
        }
    }

    /// <summary>
    /// For failure messages: the child's events (every line but its progress lines, when the starter said which those
    /// are; up to 200), the last 60 lines, stderr, and the path of a file holding the whole transcript.
    /// </summary>
    public string Describe()
    {
        string[] lines = Lines.ToArray();
        string tail = string.Join('\n', lines.Skip(Math.Max(0, lines.Length - 60)));
        string events = "";
        if (_isProgress is not null)
        {
            string[] kept = lines.Where(l => !_isProgress(l)).ToArray();
            events = $"--- {_name} events ({Math.Min(200, kept.Length)} of {kept.Length}; progress lines left out) ---\n{string.Join('\n', kept.Take(200))}\n";
        }

        string err;
        lock (_stderr)
        {
            err = _stderr.ToString();
        }

        return events
            + $"--- {_name} stdout (last 60 of {lines.Length} lines) ---\n{tail}\n--- {_name} stderr ---\n{err}\n--- full transcript: {SaveTranscript()} ---";
    }

    /// <summary>Writes <see cref="Transcript"/> to a file under the temp directory and returns its path (or why it could not).</summary>
    public string SaveTranscript()
    {
        try
        {
            string directory = Path.Combine(Path.GetTempPath(), "kappa-resilience-transcripts");
            Directory.CreateDirectory(directory);
            string safe = new string(_name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());
            string path = Path.Combine(directory, $"{safe}-{DateTime.UtcNow:yyyyMMdd-HHmmss-fff}-{Environment.ProcessId}.log");
            File.WriteAllText(path, Transcript());
            return path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"(not written: {e.Message})";
        }
    }

    /// <summary>Every stdout line and the captured stderr (failure transcripts).</summary>
    public string Transcript()
    {
        string err;
        lock (_stderr)
        {
            err = _stderr.ToString();
        }

        return $"=== {_name} stdout ===\n{string.Join('\n', Lines)}\n=== {_name} stderr ===\n{err}";
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // not started or already gone
        }

        _process.Dispose();
    }
}
