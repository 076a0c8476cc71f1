using Kappa.Lifecycle.Tests.Model;

namespace Kappa.Lifecycle.Tests.Infrastructure;

/// <summary>Bounded polling.</summary>
public static class Wait
{
    public static T Until<T>(Func<T> probe, Func<T, bool> done, string what, TimeSpan? timeout = null, Action? check = null)
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(120));
        while (true)
        {
            check?.Invoke();
            T value = probe();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting until {what}; last: {value}");
            }

            Thread.Sleep(50);
        }
    }

    /// <summary>
    /// Waits until version <paramref name="version"/> of the amounts processor has every record of its output topic in
    /// its table, as the serving database says (the lag status measures there; a writer's own lag is measured between
    /// batches and may predate the processor's last outputs). Wait for the processor to catch up first.
    /// </summary>
    public static void TableCaughtUp(KappaLifecycle lifecycle, int version, Action check) =>
        Until(
            () => lifecycle.Status().Processors.Single(p => p.Processor == AmountsV1.Name).Versions.Single(v => v.Version == version).SinkWriterLag,
            lag => lag == 0,
            $"v{version}'s table caught up",
            check: check);

    /// <summary>Observes caught-up versions until version <paramref name="version"/> of the amounts processor is CaughtUp.</summary>
    public static void CaughtUp(KappaLifecycle lifecycle, int version, Action check) =>
        Until(
            () =>
            {
                lifecycle.ObserveCaughtUp();
                return lifecycle.Registry.Read().Processors[AmountsV1.Name].Find(version)!.State;
            },
            state => state == VersionState.CaughtUp,
            $"v{version} caught up",
            check: check);
}
