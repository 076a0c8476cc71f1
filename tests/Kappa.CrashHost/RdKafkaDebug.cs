using System.Globalization;

namespace Kappa.CrashHost;

/// <summary>
/// Optional librdkafka diagnostics for the Kafka runs: <c>KAPPA_CRASH_HOST_RDKAFKA_DEBUG</c> sets librdkafka's
/// <c>debug</c> contexts (e.g. <c>broker,topic,msg,fetch,cgrp,eos</c>) of every client, and librdkafka's log lines and
/// client errors go, time-stamped, to the file <c>KAPPA_CRASH_HOST_RDKAFKA_LOG</c> names (appended; default: stderr).
/// Without the first variable nothing is logged.
/// </summary>
internal static class RdKafkaDebug
{
    private static readonly string? Contexts = Environment.GetEnvironmentVariable("KAPPA_CRASH_HOST_RDKAFKA_DEBUG");
    private static readonly TextWriter? Writer = OpenWriter();

    public static IReadOnlyDictionary<string, string> Properties() =>
        string.IsNullOrWhiteSpace(Contexts) ? new Dictionary<string, string>() : new Dictionary<string, string> { ["debug"] = Contexts };

    public static Action<string>? Log => Writer is null ? null : Write;

    private static void Write(string line)
    {
        lock (Writer!)
        {
            Writer.WriteLine(DateTime.UtcNow.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture) + " " + line);
        }
    }

    private static TextWriter? OpenWriter()
    {
        if (string.IsNullOrWhiteSpace(Contexts))
        {
            return null;
        }

        string? path = Environment.GetEnvironmentVariable("KAPPA_CRASH_HOST_RDKAFKA_LOG");
        return string.IsNullOrWhiteSpace(path)
            ? Console.Error
            : new StreamWriter(path, append: true) { AutoFlush = true };
    }
}
