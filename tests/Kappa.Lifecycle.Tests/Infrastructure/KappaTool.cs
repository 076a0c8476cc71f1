using System.Diagnostics;
using System.Text.Json;

namespace Kappa.Lifecycle.Tests.Infrastructure;

/// <summary>Runs the built <c>kappa</c> tool (kappa.dll next to the tests) as a process.</summary>
public static class KappaTool
{
    public static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        string tool = Path.Combine(AppContext.BaseDirectory, "kappa.dll");
        Assert.True(File.Exists(tool), $"{tool} is missing: the tests reference src/Tools/Kappa.Cli, whose build puts it there.");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(tool);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(120)), "kappa did not exit within 120 s");
        return (process.ExitCode, output.Result, error.Result);
    }

    public static JsonElement Json(string output)
    {
        using JsonDocument document = JsonDocument.Parse(output);
        return document.RootElement.Clone();
    }
}
