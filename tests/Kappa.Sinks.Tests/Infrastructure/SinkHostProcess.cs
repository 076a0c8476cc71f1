using System.Diagnostics;
using System.Text;

namespace Kappa.Sinks.Tests.Infrastructure;

/// <summary>
/// One kappa-sink-host child process (tests/Kappa.SinkHost): collects its stdout lines, SIGKILLs it, or asks it to stop.
/// Every wait is bounded and a failure shows the child's output.
/// </summary>
public sealed class SinkHostProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = new();
    private readonly StringBuilder _stderr = new();

    private SinkHostProcess(Process process)
    {
        _process = process;
    }

    public static SinkHostProcess Start(params string[] arguments)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "kappa-sink-host.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: tests/Kappa.Sinks.Tests must reference tests/Kappa.SinkHost.");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(dll);
        foreach (string a in arguments)
        {
            psi.ArgumentList.Add(a);
        }

        var host = new SinkHostProcess(new Process { StartInfo = psi });
        host._process.OutputDataReceived += (_, e) =>
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
        host._process.ErrorDataReceived += (_, e) =>
        {
            lock (host._stderr)
            {
                if (e.Data is not null && host._stderr.Length < 50_000)
                {
                    host._stderr.AppendLine(e.Data);
                }
            }
        };
        host._process.Start();
        host._process.BeginOutputReadLine();
        host._process.BeginErrorReadLine();
        return host;
    }

    /// <summary>Waits for a stdout line matching <paramref name="predicate"/>.</summary>
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

                if (DateTime.UtcNow > deadline || _process.HasExited)
                {
                    Thread.Sleep(100);
                    throw new TimeoutException($"kappa-sink-host did not print {what} within {timeout} (exited: {_process.HasExited}).\n{Describe()}");
                }

                Monitor.Wait(_lines, TimeSpan.FromMilliseconds(100));
            }
        }
    }

    /// <summary>SIGKILL: no cleanup, no commit, no clean close of the database connection.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
        }

        Assert.True(_process.WaitForExit(TimeSpan.FromSeconds(30)), "kappa-sink-host did not die within 30 s of SIGKILL");
    }

    public int Stop(TimeSpan timeout)
    {
        _process.StandardInput.WriteLine("stop");
        _process.StandardInput.Flush();
        if (!_process.WaitForExit(timeout))
        {
            string state = Describe();
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kappa-sink-host did not stop within {timeout}.\n{state}");
        }

        _process.WaitForExit();
        return _process.ExitCode;
    }

    public string Describe()
    {
        string[] lines;
        lock (_lines)
        {
            lines = _lines.TakeLast(20).ToArray();
        }

        lock (_stderr)
        {
            return $"--- stdout (last 20 lines) ---\n{string.Join('\n', lines)}\n--- stderr ---\n{_stderr}";
        }
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
            // never started
        }

        _process.Dispose();
    }
}
