using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace Kappa.CrashHost;

/// <summary>
/// Turns the <see cref="Processing.ProcessorRunner"/>'s log events into the host's progress lines
/// (ready, assigned, revoked, restored, committed, recover, error, stopped) that the tests wait on.
/// </summary>
public sealed partial class ProgressLogger : ILogger
{
    private readonly TextWriter _out;
    private static readonly bool Verbose = Environment.GetEnvironmentVariable("KAPPA_CRASH_HOST_VERBOSE") == "1";
    private long _committed;
    private string _lastEvent = "(none)";

    public ProgressLogger(TextWriter output) => _out = output;

    public long CommittedRecords => Interlocked.Read(ref _committed);

    /// <summary>The last progress line other than "committed" (assigned, revoked, recover, warning, error, ...), with its time.</summary>
    public string LastEvent => Volatile.Read(ref _lastEvent);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (Verbose)
        {
            _out.WriteLine($"log {DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {eventId.Id} " + OneLine(formatter(state, exception) + (exception is null ? "" : " | " + exception)));
        }

        var values = state as IReadOnlyList<KeyValuePair<string, object?>>;
        string Value(string name) => Convert.ToString(values?.FirstOrDefault(v => v.Key == name).Value, CultureInfo.InvariantCulture) ?? "";
        switch (eventId.Id)
        {
            case 1:
                Event("ready " + formatter(state, exception));
                break;
            case 6:
                Event("assigned " + Partitions(Value("Partitions")));
                break;
            case 7:
                Event("revoked " + Partitions(Value("Partitions")));
                break;
            case 8:
                long total = Interlocked.Add(ref _committed, long.Parse(Value("Records"), CultureInfo.InvariantCulture));
                _out.WriteLine($"committed records={total} batch={Value("Records")}");
                break;
            case 11:
                Event($"restored partition={Value("Partition")} keys={Value("Keys")} read={Value("Records")}");
                break;
            case 13:
                Event("recover " + OneLine(formatter(state, exception) + ": " + exception?.Message));
                break;
            default:
                if (logLevel >= LogLevel.Warning)
                {
                    Event((logLevel >= LogLevel.Error ? "error " : "warning ") + OneLine(formatter(state, exception) + (exception is null ? "" : ": " + exception.Message)));
                }

                break;
        }
    }

    private void Event(string line)
    {
        _out.WriteLine(line);
        Volatile.Write(ref _lastEvent, $"{DateTime.UtcNow:HH:mm:ss.fff} {line}");
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    private static string Partitions(string list) =>
        string.Join(',', PartitionPattern().Matches(list).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).Order());

    [GeneratedRegex(@"-(\d+)(?=,|$)")]
    private static partial Regex PartitionPattern();
}
