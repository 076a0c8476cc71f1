using System.Diagnostics;

namespace Kappa.Kafka.Tests.Infrastructure;

/// <summary>Runs an independent Kafka client (kcat, kafka-python through Debian's /usr/bin/python3) and fails loudly when it is missing.</summary>
public static class External
{
    public const string Python = "/usr/bin/python3";

    public static string Run(string file, IEnumerable<string> arguments, string? stdin = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"'{file}' is not installed (Debian: apt-get install kcat python3-kafka): {ex.Message}", ex);
        }

        using (process)
        {
            Task<string> output = process.StandardOutput.ReadToEndAsync();
            Task<string> error = process.StandardError.ReadToEndAsync();
            if (stdin is not null)
            {
                process.StandardInput.Write(stdin);
            }

            process.StandardInput.Close();
            if (!process.WaitForExit((int)(timeout ?? TimeSpan.FromSeconds(60)).TotalMilliseconds))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish; stderr: {error.Result}");
            }

            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}; stderr: {error.Result}");
            }

            return output.Result;
        }
    }

    /// <summary>Runs a kafka-python script; its waits for records are bounded at 60 s, the process at 3 minutes.</summary>
    public static string PythonScript(string script, params string[] arguments) => Run(Python, new[] { "-c", script }.Concat(arguments), timeout: TimeSpan.FromMinutes(3));
}
