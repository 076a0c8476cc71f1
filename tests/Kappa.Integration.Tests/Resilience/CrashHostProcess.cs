using Kappa.Tests;

namespace Kappa.Integration.Tests.Resilience;

/// <summary>Starts kappa-crash-host (tests/Kappa.CrashHost) child processes.</summary>
internal static class CrashHostProcess
{
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

    public static ChildProcess Start(string name, IEnumerable<string> arguments) =>
        ChildProcess.Start(name, HostDll, arguments, new Dictionary<string, string>
        {
            ["KAPPA_CRASH_HOST_VERBOSE"] = Environment.GetEnvironmentVariable("KAPPA_CRASH_HOST_VERBOSE") ?? "0",
        },
        isProgress: l => l.StartsWith("committed ", StringComparison.Ordinal) || l.StartsWith("log ", StringComparison.Ordinal));
}
