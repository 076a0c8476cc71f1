namespace Kappa.CrashHost;

/// <summary>The topics and group of one crash-test run (see <see cref="RenamedDispatcher.Names"/>).</summary>
public sealed record CrashTopicNames(string Input, string Output, string Changelog, string Group);
