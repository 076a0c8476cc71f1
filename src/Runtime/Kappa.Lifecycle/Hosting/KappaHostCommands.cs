using System.Globalization;
using System.Text.Json;
using Kappa.Naming;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kappa.Lifecycle.Hosting;

/// <summary>
/// The lifecycle commands that need the user's processor code, run from the user's own host the way <c>dotnet ef</c>
/// reaches a DbContext: <c>dotnet run -- kappa verify|replay &lt;processor&gt; &lt;version&gt; [--json]</c>. The
/// standalone <c>kappa</c> tool does everything else.
/// </summary>
public static class KappaHostCommands
{
    private const string Usage =
        "usage: dotnet run -- kappa verify <processor> <version> [--json]\n" +
        "       dotnet run -- kappa replay <processor> <version> [--interval <seconds>] [--timeout <seconds>] [--json]\n" +
        "(other commands: the kappa tool)";

    /// <summary>
    /// Runs a <c>kappa ...</c> command when <paramref name="args"/> start with <c>kappa</c> and returns its exit code
    /// (0 done, 1 error, 2 refused: the version is not deterministic, or cannot be replayed); returns null otherwise, and
    /// the host runs as usual. The host is built but not started. Verifiers are the ones registered with
    /// <see cref="LifecycleHostOptions.Verify{TProcessor}"/>; replay runs the host's own processor and sink writers.
    /// </summary>
    public static int? RunKappaCommand(this IHost host, string[] args, TextWriter? output = null, TextWriter? error = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0 || args[0] != "kappa")
        {
            return null;
        }

        output ??= Console.Out;
        error ??= Console.Error;
        bool json = args.Contains("--json", StringComparer.Ordinal);
        if (!TryParse(args.Skip(1).Where(a => a != "--json").ToArray(), out string command, out string processor, out int version, out Dictionary<string, double> options, out string? problem))
        {
            error.WriteLine((problem is null ? string.Empty : "kappa: " + problem + "\n") + Usage);
            return 1;
        }

        try
        {
            KappaLifecycle lifecycle = host.Services.GetService<KappaLifecycle>()
                ?? throw new InvalidOperationException("The host has no lifecycle: add it with services.AddKappa(...).AddLifecycle(...).");
            return command == "verify"
                ? Verify(host, lifecycle, processor, version, json, output)
                : Replay(host, lifecycle, processor, version, options, json, output, cancellationToken);
        }
        catch (LifecycleRefusedException refused)
        {
            return Fail(json, output, error, "refused", refused.Message, 2);
        }
        catch (Exception failure) when (failure is not OutOfMemoryException)
        {
            return Fail(json, output, error, "error", failure.Message, 1);
        }
    }

    private static int Verify(IHost host, KappaLifecycle lifecycle, string processor, int version, bool json, TextWriter output)
    {
        LifecycleHostOptions options = host.Services.GetRequiredService<LifecycleHostOptions>();
        string id = KappaNames.ConsumerGroup(processor, version);
        if (!options.Verifiers.TryGetValue(id, out var verify))
        {
            throw new InvalidOperationException($"The host cannot verify {id}: register it with AddLifecycle(..., o => o.Verify(() => new YourProcessor())) (registered: {(options.Verifiers.Count == 0 ? "none" : string.Join(", ", options.Verifiers.Keys.Order(StringComparer.Ordinal)))}).");
        }

        VerificationResult result = verify(lifecycle, HostSchemaRegistry.Of(host.Services.GetServices<IHostedService>(), id));
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(result, LifecycleJson.Options));
        }
        else
        {
            output.WriteLine($"{id}: {(result.Deterministic ? "deterministic" : "NOT deterministic")} over {result.Records} records{(result.FirstDifference is null ? string.Empty : "; first difference: " + result.FirstDifference)}");
            foreach (OutputDiff diff in result.Diffs)
            {
                output.WriteLine($"  {diff.Sink} vs v{result.ComparedWith} (by {Describe(diff.Comparison)}): {diff.Equal} equal, {diff.Changed} changed, {diff.OnlyInNew} only in v{version}, {diff.OnlyInOld} only in v{result.ComparedWith}{(diff.Unreadable == 0 ? string.Empty : $", {diff.Unreadable} unreadable")}{(diff.ChangedSamples.Count == 0 ? string.Empty : "; changed e.g. " + string.Join(", ", diff.ChangedSamples))}");
                foreach (ChangedValue change in diff.ChangedValues)
                {
                    output.WriteLine($"    {change.Key}: v{result.ComparedWith} {change.Old}");
                    output.WriteLine($"    {new string(' ', change.Key.Length)}  v{version} {change.New}");
                }

                foreach (string unreadable in diff.UnreadableSamples)
                {
                    output.WriteLine($"    unreadable: {unreadable}");
                }
            }
        }

        return result.Passed ? 0 : 2;
    }

    private static string Describe(OutputComparison comparison) => comparison switch
    {
        OutputComparison.Values => "decoded values",
        OutputComparison.Bodies => "Avro bodies, one side framed",
        _ => "bytes",
    };

    private static int Replay(IHost host, KappaLifecycle lifecycle, string processor, int version, Dictionary<string, double> options, bool json, TextWriter output, CancellationToken cancellationToken)
    {
        TimeSpan interval = TimeSpan.FromSeconds(options.GetValueOrDefault("--interval", 1));
        TimeSpan? timeout = options.TryGetValue("--timeout", out double seconds) ? TimeSpan.FromSeconds(seconds) : null;
        var replay = new HostReplay(host, lifecycle);
        replay.Run(processor, version, interval, timeout, progress => output.WriteLine(json ? JsonSerializer.Serialize(progress, LifecycleJson.Options) : Line(progress)), cancellationToken);
        return 0;
    }

    /// <summary>One progress line: <c>amounts.v2 replaying: 600 done, 400 left (60.0%), 1200 rec/s, ETA 0.3 s; sink writers' lag customer_amounts_v2 12</c>.</summary>
    private static string Line(ReplayProgress p)
    {
        long total = p.Done + p.Lag;
        string percent = total == 0 ? "100.0" : (100.0 * p.Done / total).ToString("0.0", CultureInfo.InvariantCulture);
        string sinks = p.SinkWriterLag.Count == 0 ? string.Empty : "; sink writers' lag " + string.Join(", ", p.SinkWriterLag.Select(l => $"{l.Key} {(l.Value < 0 ? "?" : l.Value.ToString(CultureInfo.InvariantCulture))}"));
        string head = p.Type == "caughtUp"
            ? $"{KappaNames.ConsumerGroup(p.Processor, p.Version)} caught up ({p.State}): {p.Done} done, {p.Lag} left, replayed {p.Replayed} in {p.ElapsedSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s"
            : $"{KappaNames.ConsumerGroup(p.Processor, p.Version)} replaying: {p.Done} done, {p.Lag} left ({percent}%), {p.RecordsPerSecond.ToString("0", CultureInfo.InvariantCulture)} rec/s, ETA {(p.EtaSeconds is { } eta ? eta.ToString("0.0", CultureInfo.InvariantCulture) + " s" : "-")}";
        return head + sinks;
    }

    private static bool TryParse(string[] words, out string command, out string processor, out int version, out Dictionary<string, double> options, out string? problem)
    {
        command = processor = string.Empty;
        version = 0;
        options = new Dictionary<string, double>(StringComparer.Ordinal);
        problem = null;
        var positional = new List<string>();
        for (int i = 0; i < words.Length; i++)
        {
            if (words[i] is "--interval" or "--timeout")
            {
                if (i + 1 >= words.Length || !double.TryParse(words[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || value <= 0)
                {
                    problem = $"{words[i]} takes a number of seconds greater than 0.";
                    return false;
                }

                options[words[i]] = value;
                i++;
            }
            else if (words[i].StartsWith("--", StringComparison.Ordinal))
            {
                problem = $"unknown option {words[i]}.";
                return false;
            }
            else
            {
                positional.Add(words[i]);
            }
        }

        if (positional.Count != 3 || positional[0] is not ("verify" or "replay") || !int.TryParse(positional[2], NumberStyles.None, CultureInfo.InvariantCulture, out version))
        {
            return false;
        }

        if (positional[0] == "verify" && options.Count > 0)
        {
            problem = "verify takes no --interval or --timeout.";
            return false;
        }

        command = positional[0];
        processor = positional[1];
        return true;
    }

    private static int Fail(bool json, TextWriter output, TextWriter error, string kind, string message, int exitCode)
    {
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(new { error = kind, message, exitCode }, LifecycleJson.Options));
        }
        else
        {
            error.WriteLine($"kappa: {(kind == "refused" ? "refused" : "error")}: {message}");
        }

        return exitCode;
    }
}
