using Microsoft.CodeAnalysis;

namespace Kappa.Analyzers.Common;

/// <summary>
/// Every diagnostic this assembly reports. Message arguments: {0} the offending member or construct,
/// {1} the call chain from the handler (handler -> helper -> member), {2} an optional detail (starts with "; " when present).
/// </summary>
internal static class DiagnosticDescriptors
{
    public const string Category = "Determinism";

    /// <summary>The one place a help link is built: docs/diagnostics/{id}.md.</summary>
    public static string HelpLink(string id) => $"https://github.com/kappa-dotnet/kappa/blob/main/docs/diagnostics/{id}.md";

    public static readonly DiagnosticDescriptor WallClock = Create(
        "KAPPA101",
        "Wall clock read on the processing path",
        "{0} reads the wall clock, so a replay of the same log sees a different time and produces different output; use the record's timestamp (ctx.Timestamp) instead{2} [{1}]",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor RandomValues = Create(
        "KAPPA102",
        "Random value or id generated on the processing path",
        "{0} produces a new random value on every run, so a replay emits different values and ids; derive them from the record with ctx.NewGuid() or ctx.CreateRandom() instead{2} [{1}]",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor SeededRandom = Create(
        "KAPPA103",
        "Seeded System.Random on the processing path",
        "{0} is seeded, but System.Random's algorithm is not guaranteed across .NET versions, and a new processor version may replay on a newer runtime; use ctx.CreateRandom() or Kappa.Determinism.DeterministicRandom, whose sequence is fixed{2} [{1}]",
        DiagnosticSeverity.Info);

    public static readonly DiagnosticDescriptor TimersAndSleeps = Create(
        "KAPPA104",
        "Timer or sleep on the processing path",
        "{0} makes the outcome depend on elapsed real time, which differs between the live run and a replay (replays run much faster); make the decision from record timestamps instead{2} [{1}]",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor Concurrency = Create(
        "KAPPA105",
        "Concurrency on the processing path",
        "{0} runs work concurrently, so the order of its effects depends on thread scheduling and can differ on replay; process the record sequentially (await directly, keep the captured context){2} [{1}]",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor CompletionOrder = Create(
        "KAPPA106",
        "Completion-order race on the processing path",
        "{0} depends on which concurrent operation finishes or arrives first, which changes from run to run; await the operations in a fixed order or sort the results{2} [{1}]",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor UnorderedIteration = Create(
        "KAPPA107",
        "Unordered collection iterated on the processing path",
        "{0} is iterated, but it is a hash-based collection whose order is unspecified (it depends on hash codes, insertion history and the runtime), so that order can reach the output and differ on replay; order it first, e.g. .OrderBy(x => x, StringComparer.Ordinal) or by key{2} [{1}]",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor HashCodeUse = Create(
        "KAPPA108",
        "Hash code used on the processing path",
        "{0} returns a hash code that is randomized per process for strings and may change between runtimes, so using it for partitioning, persistence or output breaks replay; use a stable hash (e.g. XxHash64 or SHA-256 over the bytes) instead{2} [{1}]",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor Culture = Create(
        "KAPPA109",
        "Culture or time zone dependence on the processing path",
        "{0} depends on the machine's culture or time zone, so a replay on another machine can format, parse, compare or convert differently; use CultureInfo.InvariantCulture, StringComparison.Ordinal or UTC instead{2} [{1}]",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor EnvironmentRead = Create(
        "KAPPA110",
        "Environment read on the processing path",
        "{0} reads the process environment or configuration, which differs between machines, deployments and replays; read it once at startup into the processor version, or carry it in the log{2} [{1}]",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor ExternalIo = Create(
        "KAPPA111",
        "I/O or external lookup on the processing path",
        "{0} performs I/O or an external lookup whose answer can change between the live run and a replay{2}; put the data in a log (a compacted topic joined as a stream) or in processor state instead [{1}]",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor StaticMutableState = Create(
        "KAPPA112",
        "Static mutable state on the processing path",
        "{0} reads or changes static mutable state, which carries over between records and processes and is not restored on replay; keep state in [ProcessorState] or in the record, and make statics readonly{2} [{1}]",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor FloatingPoint = Create(
        "KAPPA113",
        "Floating-point result may differ across platforms",
        "{0} may give different bits on another CPU, runtime or summation order, so a replay elsewhere can produce slightly different output; use decimal or integer arithmetic, or sum in a fixed order, where results must match exactly{2} [{1}]",
        DiagnosticSeverity.Info);

    public static readonly DiagnosticDescriptor ReflectionOrder = Create(
        "KAPPA114",
        "Reflection order used on the processing path",
        "{0} returns members, types or assemblies in an unspecified order that can change between builds and runtimes, so output driven by it can differ on replay; sort the result by name (StringComparer.Ordinal) first{2} [{1}]",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor UnfollowableCall = Create(
        "KAPPA190",
        "Call on the processing path cannot be followed",
        "{0} cannot be followed by the determinism analysis ({2}), so code it reaches is not checked; mark the target [Kappa.Deterministic] once vetted, or call a concrete member [{1}]",
        DiagnosticSeverity.Info,
        enabledByDefault: false);

    /// <summary>The descriptor with <paramref name="id"/> (the catalogs name rules by ID).</summary>
    public static DiagnosticDescriptor ById(string id) => id switch
    {
        "KAPPA101" => WallClock,
        "KAPPA102" => RandomValues,
        "KAPPA104" => TimersAndSleeps,
        "KAPPA105" => Concurrency,
        "KAPPA109" => Culture,
        "KAPPA110" => EnvironmentRead,
        "KAPPA111" => ExternalIo,
        "KAPPA112" => StaticMutableState,
        "KAPPA114" => ReflectionOrder,
        _ => throw new System.ArgumentException("No catalog rule " + id, nameof(id)),
    };

    private static DiagnosticDescriptor Create(string id, string title, string message, DiagnosticSeverity severity, bool enabledByDefault = true) =>
        new(id, title, message, Category, severity, enabledByDefault, helpLinkUri: HelpLink(id), customTags: []);
}
