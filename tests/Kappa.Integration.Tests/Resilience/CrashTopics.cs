namespace Kappa.Integration.Tests.Resilience;

/// <summary>Topic and group names of one crash test (unique per run, so a real cluster can be reused).</summary>
internal sealed record CrashTopics(string Input, string Output, string Changelog, string Group)
{
    public static CrashTopics Unique(string test)
    {
        string id = test + "-" + Guid.NewGuid().ToString("N")[..8];
        return new CrashTopics($"{id}.input", $"{id}.totals", $"{id}.totals-changelog", $"{id}.v1");
    }

    public IEnumerable<string> HostArguments(string transactionalId) => new[]
    {
        "--input", Input, "--output", Output, "--changelog", Changelog, "--group", Group, "--transactional-id", transactionalId,
    };
}
