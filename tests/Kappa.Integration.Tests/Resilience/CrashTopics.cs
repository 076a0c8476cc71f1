using Kappa.CrashHost;

namespace Kappa.Integration.Tests.Resilience;

/// <summary>
/// Topic and group names of one crash test: the crash host's processor under a unique prefix
/// (<see cref="RenamedDispatcher"/>), so a real cluster can be reused across runs.
/// </summary>
internal sealed record CrashTopics(string Prefix, string Input, string Output, string Changelog, string DeadLetter, string Group)
{
    public static CrashTopics Unique(string test)
    {
        string prefix = test + "-" + Guid.NewGuid().ToString("N")[..8] + ".";
        var names = RenamedDispatcher.Names(prefix);
        return new CrashTopics(prefix, names.Input, names.Output, names.Changelog, names.Group + ".dlq", names.Group);
    }

    /// <summary>Host arguments selecting these topics and the instance id (the transactional id is {group}.{instance}).</summary>
    public IEnumerable<string> HostArguments(string instance) => new[] { "--prefix", Prefix, "--instance", instance };
}
