using Kappa.Tests;

namespace Kappa.Sinks.Tests.Infrastructure;

/// <summary>Starts kappa-sink-host (tests/Kappa.SinkHost) child processes.</summary>
internal static class SinkHostProcess
{
    public static ChildProcess Start(params string[] arguments)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "kappa-sink-host.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: tests/Kappa.Sinks.Tests must reference tests/Kappa.SinkHost.");
        return ChildProcess.Start("kappa-sink-host", dll, arguments, isProgress: l => l.StartsWith("progress ", StringComparison.Ordinal));
    }
}
