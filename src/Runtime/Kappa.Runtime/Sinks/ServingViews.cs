namespace Kappa.Sinks;

/// <summary>Checks the targets of one <see cref="ISinkDatabase.SwitchServingViews"/> call, for the databases that implement it.</summary>
public static class ServingViews
{
    /// <summary>
    /// The targets ordered by view name (the order a database switches, and locks, them in, so that concurrent switches
    /// and readers take the views' locks in one order). Throws <see cref="ArgumentException"/> for a null target or for
    /// two targets of one sink or one view.
    /// </summary>
    public static SinkTarget[] Ordered(IReadOnlyCollection<SinkTarget> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        if (targets.Any(t => t is null))
        {
            throw new ArgumentException("A serving view switch got a null target.", nameof(targets));
        }

        foreach (IGrouping<string, SinkTarget> clash in targets.GroupBy(t => t.View, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            throw new ArgumentException($"One switch points each serving view at one table, but view {clash.Key} was given {string.Join(" and ", clash.Select(t => t.Table))}.", nameof(targets));
        }

        return targets.OrderBy(t => t.View, StringComparer.Ordinal).ToArray();
    }
}
