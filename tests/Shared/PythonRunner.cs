using System.Diagnostics;

namespace Kappa.Tests;

/// <summary>Runs a python3 script (Debian python3 with python3-kafka) for interop tests; shared by the Runtime and EmbeddedLog tests.</summary>
internal static class PythonRunner
{
    public const string Python = "/usr/bin/python3";

    public static string Run(string script, string stdin = "", params string[] args)
    {
        if (!File.Exists(Python))
        {
            throw new InvalidOperationException($"{Python} is required for the kafka-python interop tests (Debian packages python3 and python3-kafka).");
        }

        string scriptPath = Path.Combine(Path.GetTempPath(), $"kappa-{Guid.NewGuid():N}.py");
        File.WriteAllText(scriptPath, script);
        try
        {
            var psi = new ProcessStartInfo(Python)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            psi.ArgumentList.Add(scriptPath);
            foreach (string a in args)
            {
                psi.ArgumentList.Add(a);
            }

            using Process p = Process.Start(psi)!;
            Task<string> stdout = p.StandardOutput.ReadToEndAsync();
            Task<string> stderr = p.StandardError.ReadToEndAsync();
            p.StandardInput.Write(stdin);
            p.StandardInput.Close();
            p.WaitForExit();
            if (p.ExitCode != 0)
            {
                throw new InvalidOperationException($"python3 failed with exit code {p.ExitCode}: {stderr.Result}");
            }

            return stdout.Result;
        }
        finally
        {
            File.Delete(scriptPath);
        }
    }
}
