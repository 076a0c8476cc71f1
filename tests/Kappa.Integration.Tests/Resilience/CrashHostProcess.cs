using System.Diagnostics;
using System.Text;

namespace Kappa.Integration.Tests.Resilience;

/// <summary>
/// One kappa-crash-host child process: its stdout lines are collected for the test to wait on; <see cref="Kill"/> sends
/// SIGKILL (no cleanup runs in the child), <see cref="RequestStop"/> asks for a clean stop. Every wait is bounded.
/// </summary>
internal sealed class CrashHostProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = new();
    private readonly StringBuilder _stderr = new();
    private readonly string _name;

    private CrashHostProcess(string name, Process process)
    {
        _name = name;
        _process = process;
    }

    public static string HostDll
    {
        get
        {
            string dll = Path.Combine(AppContext.BaseDirectory, "kappa-crash-host.dll");
            if (!File.Exists(dll))
            {
                throw new FileNotFoundException($"kappa-crash-host.dll is not next to the tests ({dll}); tests/Kappa.Integration.Tests must reference tests/Kappa.CrashHost.", dll);
            }

            return dll;
        }
    }

    public int ProcessId => _process.Id;

    public string Name => _name;

    public bool HasExited => _process.HasExited;

    public static CrashHostProcess Start(string name, IEnumerable<string> arguments)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(HostDll);
        foreach (string a in arguments)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment["KAPPA_CRASH_HOST_VERBOSE"] = Environment.GetEnvironmentVariable("KAPPA_CRASH_HOST_VERBOSE") ?? "0";
        var process = new Process { StartInfo = psi };
        var host = new CrashHostProcess(name, process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (host._lines)
                {
                    host._lines.Add(e.Data);
                    Monitor.PulseAll(host._lines);
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (host._stderr)
                {
                    if (host._stderr.Length < 20_000)
                    {
                        host._stderr.AppendLine(e.Data);
                    }
                }
            }
        };
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {name}: dotnet {HostDll}");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
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

                if (_process.HasExited && !Monitor.Wait(_lines, TimeSpan.FromMilliseconds(200)))
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
    }

    public void RequestStop()
    {
        if (!_process.HasExited)
        {
            _process.StandardInput.WriteLine("stop");
            _process.StandardInput.Flush();
        }
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
        return _process.ExitCode;
    }

    /// <summary>
    /// For failure messages: the host's events (every line but the "committed" progress and verbose "log" lines, up to
    /// 200), the last 60 lines, stderr, and the path of a file holding the whole transcript.
    /// </summary>
    public string Describe()
    {
        string[] lines = Lines.ToArray();
        string tail = string.Join('\n', lines.Skip(Math.Max(0, lines.Length - 60)));
        string[] events = lines.Where(l => !l.StartsWith("committed ", StringComparison.Ordinal) && !l.StartsWith("log ", StringComparison.Ordinal)).ToArray();
        string err;
        lock (_stderr)
        {
            err = _stderr.ToString();
        }

        return $"--- {_name} events ({Math.Min(200, events.Length)} of {events.Length}; committed and log lines left out) ---\n{string.Join('\n', events.Take(200))}\n"
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
