using System.Reflection;
using System.Runtime.InteropServices;

namespace Kappa.Kafka;

/// <summary>
/// The one place that makes librdkafka loadable. Confluent.Kafka 1.9.3's own loader fails on Debian 12 (it dlopens an
/// unversioned "libdl"), so every request for "librdkafka" from Confluent.Kafka and from Kappa.Kafka is resolved here to
/// the OS library (<c>librdkafka.so.1</c> on Linux). Every entry point (transport, mock cluster) calls <see cref="EnsureLoaded"/>.
/// </summary>
public static class NativeLibraryLoader
{
    /// <summary>Environment variable naming an explicit librdkafka file to load instead of the OS default.</summary>
    public const string PathVariable = "KAPPA_LIBRDKAFKA_PATH";

    private static readonly object Gate = new();
    private static IntPtr _handle;
    private static string? _loadedFrom;

    /// <summary>Where librdkafka was loaded from (null until <see cref="EnsureLoaded"/> succeeded).</summary>
    public static string? LoadedFrom => Volatile.Read(ref _loadedFrom);

    /// <summary>
    /// Loads librdkafka and installs the import resolvers; idempotent and thread-safe.
    /// Throws <see cref="KafkaNativeLibraryException"/> naming the package to install when the library is missing.
    /// </summary>
    public static void EnsureLoaded()
    {
        if (Volatile.Read(ref _handle) != IntPtr.Zero)
        {
            return;
        }

        lock (Gate)
        {
            if (_handle != IntPtr.Zero)
            {
                return;
            }

            string? explicitPath = Environment.GetEnvironmentVariable(PathVariable);
            IReadOnlyList<string> candidates = string.IsNullOrWhiteSpace(explicitPath) ? DefaultCandidates() : [explicitPath];
            IntPtr handle = Load(candidates, out string loadedFrom);
            InstallResolver(typeof(Confluent.Kafka.Library).Assembly);
            InstallResolver(typeof(NativeLibraryLoader).Assembly);
            _loadedFrom = loadedFrom;
            Volatile.Write(ref _handle, handle);
        }
    }

    /// <summary>Tries each candidate in order; throws <see cref="KafkaNativeLibraryException"/> when none loads. Test seam.</summary>
    internal static IntPtr Load(IReadOnlyList<string> candidates, out string loadedFrom)
    {
        var failures = new List<string>();
        foreach (string candidate in candidates)
        {
            try
            {
                IntPtr handle = NativeLibrary.Load(candidate);
                loadedFrom = candidate;
                return handle;
            }
            catch (DllNotFoundException ex)
            {
                failures.Add($"{candidate}: {FirstLine(ex.Message)}");
            }
            catch (BadImageFormatException ex)
            {
                failures.Add($"{candidate}: {FirstLine(ex.Message)}");
            }
        }

        throw new KafkaNativeLibraryException(
            $"The native Kafka client library librdkafka could not be loaded (tried {string.Join("; ", failures)}). {InstallHint()}");
    }

    /// <summary>How to get librdkafka on this OS.</summary>
    internal static string InstallHint() =>
        "Install it: on Debian/Ubuntu `apt-get install librdkafka1`; on Fedora/RHEL `dnf install librdkafka`; on Alpine "
        + "`apk add librdkafka`; on macOS `brew install librdkafka`; on Windows (or anywhere else) add the NuGet package "
        + "librdkafka.redist to the application. Kappa works with librdkafka 1.9 to 2.0 (Confluent.Kafka 1.9.3); set "
        + $"{PathVariable} to load a specific file.";

    internal static IReadOnlyList<string> DefaultCandidates()
    {
        var names = new List<string>();
        string baseDir = AppContext.BaseDirectory;
        string rid = RuntimeInformation.RuntimeIdentifier;
        if (OperatingSystem.IsWindows())
        {
            names.Add(Path.Combine(baseDir, "runtimes", rid, "native", "librdkafka.dll"));
            names.Add("librdkafka.dll");
        }
        else if (OperatingSystem.IsMacOS())
        {
            names.Add("librdkafka.1.dylib");
            names.Add("/opt/homebrew/lib/librdkafka.1.dylib");
            names.Add("/usr/local/lib/librdkafka.1.dylib");
            names.Add(Path.Combine(baseDir, "runtimes", rid, "native", "librdkafka.dylib"));
            names.Add("librdkafka.dylib");
        }
        else
        {
            names.Add("librdkafka.so.1");
            names.Add(Path.Combine(baseDir, "runtimes", rid, "native", "librdkafka.so"));
            names.Add("librdkafka.so");
        }

        return names;
    }

    private static void InstallResolver(Assembly assembly)
    {
        try
        {
            NativeLibrary.SetDllImportResolver(assembly, Resolve);
        }
        catch (InvalidOperationException)
        {
            // The application installed its own resolver for this assembly first; it is responsible for librdkafka then.
        }
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName.Contains("librdkafka", StringComparison.OrdinalIgnoreCase) ? _handle : IntPtr.Zero;

    private static string FirstLine(string message)
    {
        int newline = message.IndexOf('\n');
        return newline < 0 ? message : message[..newline].TrimEnd();
    }
}
