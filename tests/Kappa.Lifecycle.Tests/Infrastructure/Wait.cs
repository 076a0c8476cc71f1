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
