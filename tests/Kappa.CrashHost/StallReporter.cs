using System.Diagnostics;
using System.Globalization;

namespace Kappa.CrashHost;

/// <summary>
/// Prints a "status" line when no batch was committed for an interval (and again every interval while it lasts): the
/// records committed, each input partition's committed offset against its end, and the runner's last event, so a stalled
/// run's transcript says where it stopped and why.
/// </summary>
internal sealed class StallReporter
{
    private readonly TextWriter _output;
    private readonly ProgressLogger _logger;
    private readonly TimeSpan _interval;
    private long _lastCommitted = -1;
    private long _since = Stopwatch.GetTimestamp();
    private long _lastReport;

    public StallReporter(TextWriter output, ProgressLogger logger, TimeSpan interval)
    {
        _output = output;
        _logger = logger;
        _interval = interval;
    }

    public void Observe(IReadOnlyList<(int Partition, long? Committed, long End)> positions)
    {
        long committed = _logger.CommittedRecords;
        long now = Stopwatch.GetTimestamp();
        if (committed != _lastCommitted)
        {
            _lastCommitted = committed;
            _since = now;
            _lastReport = 0;
            return;
        }

        TimeSpan stalled = Stopwatch.GetElapsedTime(_since, now);
        if (stalled < _interval || (_lastReport != 0 && Stopwatch.GetElapsedTime(_lastReport, now) < _interval))
        {
            return;
        }

        _lastReport = now;
        string offsets = string.Join(' ', positions.Select(p => $"p{p.Partition}={(p.Committed is long c ? c.ToString(CultureInfo.InvariantCulture) : "none")}/{p.End}"));
        _output.WriteLine($"status no batch committed for {stalled.TotalSeconds:F0} s: records={committed} committed/end {offsets}; last event: {_logger.LastEvent}");
    }
}
