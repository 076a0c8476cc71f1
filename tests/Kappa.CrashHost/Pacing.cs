namespace Kappa.CrashHost;

/// <summary>
/// Slows the crash host down on purpose (<c>--pace-ms N</c>: N ms every 10 records), so that the tests' SIGKILLs land in
/// the middle of the input and inside open transactions instead of after a fast host has already finished.
/// </summary>
public static class Pacing
{
    private static int _delayMs;
    private static int _records;

    public static void Configure(int delayMs) => _delayMs = delayMs;

    /// <summary>Called once per record by the handler.</summary>
    [Deterministic("Test pacing only: it delays processing and never changes what is produced.")]
    public static void Pace()
    {
        if (_delayMs > 0 && ++_records % 10 == 0)
        {
            Thread.Sleep(_delayMs);
        }
    }
}
