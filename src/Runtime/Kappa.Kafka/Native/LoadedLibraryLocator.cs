using System.Globalization;
using System.Runtime.InteropServices;

namespace Kappa.Kafka.Native;

/// <summary>
/// Which file a loaded native library came from, found from an address inside it: <c>/proc/self/maps</c> on Linux,
/// <c>dladdr</c> on macOS, <c>GetModuleHandleEx</c> on Windows. Also lists the librdkafka files a Linux process maps.
/// </summary>
internal static partial class LoadedLibraryLocator
{
    private const string MapsFile = "/proc/self/maps";

    /// <summary>The path of the mapped file that contains <paramref name="address"/>.</summary>
    internal static string FileContaining(IntPtr address)
    {
        string? path = OperatingSystem.IsLinux() ? FromProcMaps(address)
            : OperatingSystem.IsWindows() ? FromWindowsModule(address)
            : FromDladdr(address);
        return path ?? throw new KafkaNativeLibraryException(
            $"Could not find which file holds librdkafka (address 0x{address:x}) on {RuntimeInformation.OSDescription}; set {NativeLibraryLoader.PathVariable} to its file.");
    }

    /// <summary>The distinct files mapped into this Linux process whose name contains "rdkafka" (empty elsewhere).</summary>
    internal static IReadOnlyList<string> MappedLibrdkafkaFiles()
    {
        if (!OperatingSystem.IsLinux())
        {
            return [];
        }

        return ReadMaps()
            .Select(m => m.Path)
            .Where(p => Path.GetFileName(p).Contains("rdkafka", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    private static string? FromProcMaps(IntPtr address)
    {
        ulong target = (ulong)address;
        foreach ((ulong start, ulong end, string path) in ReadMaps())
        {
            if (target >= start && target < end)
            {
                return path;
            }
        }

        return null;
    }

    /// <summary>The file-backed mappings of /proc/self/maps: "start-end perms offset dev inode path".</summary>
    private static IEnumerable<(ulong Start, ulong End, string Path)> ReadMaps()
    {
        foreach (string line in File.ReadLines(MapsFile))
        {
            string[] fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 6 || !fields[5].StartsWith('/'))
            {
                continue;
            }

            int dash = fields[0].IndexOf('-');
            if (dash > 0
                && ulong.TryParse(fields[0].AsSpan(0, dash), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong start)
                && ulong.TryParse(fields[0].AsSpan(dash + 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong end))
            {
                // A mapped file that was replaced on disk is shown with " (deleted)".
                yield return (start, end, fields[5].Trim());
            }
        }
    }

    private static unsafe string? FromDladdr(IntPtr address)
    {
        DlInfo info;
        return Dladdr(address, &info) != 0 && info.FileName != IntPtr.Zero ? Marshal.PtrToStringUTF8(info.FileName) : null;
    }

    private static unsafe string? FromWindowsModule(IntPtr address)
    {
        const uint FromAddress = 0x4;
        const uint UnchangedRefCount = 0x2;
        if (!GetModuleHandleExW(FromAddress | UnchangedRefCount, address, out IntPtr module))
        {
            return null;
        }

        char* buffer = stackalloc char[32768];
        uint length = GetModuleFileNameW(module, buffer, 32768);
        return length == 0 ? null : new string(buffer, 0, (int)length);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct DlInfo
    {
        public IntPtr FileName;
        public IntPtr FileBase;
        public IntPtr SymbolName;
        public IntPtr SymbolAddress;
    }

    [LibraryImport("libc", EntryPoint = "dladdr")]
    private static unsafe partial int Dladdr(IntPtr address, DlInfo* info);

    [LibraryImport("kernel32", EntryPoint = "GetModuleHandleExW")]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool GetModuleHandleExW(uint flags, IntPtr address, out IntPtr module);

    [LibraryImport("kernel32", EntryPoint = "GetModuleFileNameW")]
    private static unsafe partial uint GetModuleFileNameW(IntPtr module, char* fileName, uint size);
}
