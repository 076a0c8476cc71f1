using System.Reflection;
using System.Runtime.InteropServices;
using Kappa.Kafka.Native;

namespace Kappa.Kafka;

/// <summary>
/// The one place that makes librdkafka usable. Confluent.Kafka loads it first (its own loader picks the librdkafka.redist
/// build that works on this machine, e.g. <c>centos8-librdkafka.so</c> when the default build's dependencies are missing);
/// then Kappa.Kafka's own imports (mock cluster, zero-copy consumer) are bound to that very library, found from the
/// address of one of its functions, so a process never maps two copies. Every entry point (transport, mock cluster, raw
/// baseline consumer) calls <see cref="EnsureLoaded"/>.
/// </summary>
public static class NativeLibraryLoader
{
    /// <summary>Environment variable naming an explicit librdkafka file for Confluent.Kafka and Kappa.Kafka to load.</summary>
    public const string PathVariable = "KAPPA_LIBRDKAFKA_PATH";

    private static readonly object Gate = new();
    private static IntPtr _handle;
    private static string? _loadedFrom;

    /// <summary>The file librdkafka was loaded from (null until <see cref="EnsureLoaded"/> succeeded).</summary>
    public static string? LoadedFrom => Volatile.Read(ref _loadedFrom);

    /// <summary>
    /// Has Confluent.Kafka load librdkafka (the file named by <see cref="PathVariable"/> when set) and binds Kappa.Kafka's
    /// imports to the same library; idempotent and thread-safe. Throws <see cref="KafkaNativeLibraryException"/> with
    /// what to do when no librdkafka loads.
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
            IntPtr explicitHandle = string.IsNullOrWhiteSpace(explicitPath) ? IntPtr.Zero : LoadExplicit(explicitPath);
            if (explicitHandle != IntPtr.Zero && !Confluent.Kafka.Library.IsLoaded)
            {
                // Confluent's Library.Load(path) cannot be used for this: on Linux it P/Invokes an unversioned "libdl"
                // (absent on glibc 2.34+ without dev packages) and then still binds its imports to the package's default
                // file. Resolving its "librdkafka" imports to the explicit handle makes it use that file.
                Bind(typeof(Confluent.Kafka.Library).Assembly, explicitHandle, "Confluent.Kafka");
            }

            LoadThroughConfluent();
            string path = LoadedLibraryLocator.FileContaining(ConfluentDebugContextsAddress());
            IntPtr handle = NativeLibrary.TryLoad(path, out IntPtr h) ? h
                : throw new KafkaNativeLibraryException($"Confluent.Kafka loaded librdkafka from '{path}', but that file could not be opened again by path.");
            if (explicitHandle != IntPtr.Zero && explicitHandle != handle)
            {
                throw new KafkaNativeLibraryException(
                    $"{PathVariable} names '{explicitPath}', but Confluent.Kafka had already loaded librdkafka from '{path}' before Kappa.Kafka "
                    + $"could set it up. Unset {PathVariable}, or let Kappa.Kafka (KafkaTransport, MockKafkaCluster) create the first Kafka client.");
            }

            CheckVersion(Confluent.Kafka.Library.Version, Confluent.Kafka.Library.VersionString, path);
            Bind(typeof(NativeLibraryLoader).Assembly, handle, "Kappa.Kafka");
            _loadedFrom = path;
            Volatile.Write(ref _handle, handle);
        }
    }

    /// <summary>Loads the file named by <see cref="PathVariable"/>; throws <see cref="KafkaNativeLibraryException"/> when it does not load. Test seam.</summary>
    internal static IntPtr LoadExplicit(string path)
    {
        try
        {
            return NativeLibrary.Load(path);
        }
        catch (Exception ex) when (ex is DllNotFoundException or BadImageFormatException)
        {
            throw new KafkaNativeLibraryException($"{PathVariable}='{path}' could not be loaded: {FirstLine(ex.Message)}. {InstallHint()}", ex);
        }
    }

    /// <summary>The oldest librdkafka Kappa.Kafka runs on: the one its Confluent.Kafka was built with (2.16.0).</summary>
    internal const int MinimumVersion = 0x021000;

    /// <summary>
    /// Rejects a librdkafka older than <see cref="MinimumVersion"/> (<paramref name="version"/> is rd_kafka_version():
    /// 0xMMmmrrpp). Confluent.Kafka 2.16 loads e.g. Debian's 2.0.2 and fails later, on the first call into a function 2.0
    /// lacks. Test seam.
    /// </summary>
    internal static void CheckVersion(int version, string versionString, string path)
    {
        if (version >> 8 < MinimumVersion)
        {
            throw new KafkaNativeLibraryException(
                $"librdkafka {versionString} (from '{path}') is older than 2.16.0, which Kappa.Kafka and its Confluent.Kafka 2.16 need. {InstallHint()}");
        }
    }

    /// <summary>How to get a working librdkafka.</summary>
    internal static string InstallHint() =>
        "librdkafka comes with Confluent.Kafka's dependency, the NuGet package librdkafka.redist: the application's output "
        + "folder must contain its runtimes/<rid>/native files (they are copied there when the application references "
        + "Kappa.Kafka, Confluent.Kafka or librdkafka.redist through NuGet; a self-contained or single-file publish must "
        + $"target a runtime identifier the package has: {RuntimeInformation.RuntimeIdentifier} here). To use another build "
        + $"(for example your OS package, for GSSAPI/Kerberos), set {PathVariable} to its file; it must be librdkafka 2.16 "
        + "or newer (Kappa.Kafka uses Confluent.Kafka 2.16).";

    private static void LoadThroughConfluent()
    {
        try
        {
            Confluent.Kafka.Library.Load();
        }
        catch (Exception ex) when (ex is DllNotFoundException or BadImageFormatException or EntryPointNotFoundException or FileLoadException or InvalidOperationException)
        {
            throw new KafkaNativeLibraryException($"The native Kafka client library librdkafka could not be loaded: {FirstLine(ex.Message)}. {InstallHint()}", ex);
        }

        if (!Confluent.Kafka.Library.IsLoaded)
        {
            throw new KafkaNativeLibraryException($"Confluent.Kafka reports librdkafka as not loaded after Library.Load(). {InstallHint()}");
        }
    }

    /// <summary>
    /// The address of a string constant inside the librdkafka Confluent.Kafka bound its functions to (what its
    /// rd_kafka_get_debug_contexts returns): the one fact that names its library without guessing file names.
    /// </summary>
    internal static IntPtr ConfluentDebugContextsAddress()
    {
        MethodInfo method = typeof(Confluent.Kafka.Library).Assembly.GetType("Confluent.Kafka.Impl.Librdkafka")
            ?.GetMethod("get_debug_contexts", BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public, Type.EmptyTypes)
            ?? throw new KafkaNativeLibraryException(
                $"Confluent.Kafka {typeof(Confluent.Kafka.Library).Assembly.GetName().Version} has no Impl.Librdkafka.get_debug_contexts(): Kappa.Kafka needs Confluent.Kafka 2.16.");
        return method.Invoke(null, null) is IntPtr address && address != IntPtr.Zero
            ? address
            : throw new KafkaNativeLibraryException("Confluent.Kafka's rd_kafka_get_debug_contexts() returned no address.");
    }

    private static void Bind(Assembly assembly, IntPtr handle, string what)
    {
        try
        {
            NativeLibrary.SetDllImportResolver(
                assembly,
                (name, _, _) => name.Contains("librdkafka", StringComparison.OrdinalIgnoreCase) ? handle : IntPtr.Zero);
        }
        catch (InvalidOperationException ex)
        {
            throw new KafkaNativeLibraryException(
                $"{what} already has a DllImport resolver installed by someone else, so Kappa.Kafka cannot bind its librdkafka imports to the library Confluent.Kafka uses.",
                ex);
        }
    }

    private static string FirstLine(string message)
    {
        int newline = message.IndexOf('\n');
        return (newline < 0 ? message : message[..newline]).TrimEnd().TrimEnd('.');
    }
}
