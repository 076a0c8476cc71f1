using System.Globalization;
using System.Text.Json;
using Kappa.Naming;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kappa.Lifecycle.Hosting;

/// <summary>
/// The lifecycle commands that need the user's processor code, run from the user's own host the way <c>dotnet ef</c>
/// reaches a DbContext: <c>dotnet run -- kappa verify &lt;processor&gt; &lt;version&gt; [--json]</c>. The standalone
/// <c>kappa</c> tool does everything else.
/// </summary>
public static class KappaHostCommands
{
    /// <summary>
    /// Runs a <c>kappa ...</c> command when <paramref name="args"/> start with <c>kappa</c> and returns its exit code
    /// (0 done, 1 error, 2 refused: the version is not deterministic); returns null otherwise, and the host runs as usual.
    /// The host is built but not started. Verifiers are the ones registered with <see cref="LifecycleHostOptions.Verify{TProcessor}"/>.
    /// </summary>
    public static int? RunKappaCommand(this IHost host, string[] args, TextWriter? output = null, TextWriter? error = null)
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
        string[] words = args.Skip(1).Where(a => a != "--json").ToArray();
        if (words.Length != 3 || words[0] != "verify" || !int.TryParse(words[2], NumberStyles.None, CultureInfo.InvariantCulture, out int version))
        {
            error.WriteLine("usage: dotnet run -- kappa verify <processor> <version> [--json]   (other commands: the kappa tool)");
            return 1;
        }

        try
        {
            KappaLifecycle lifecycle = host.Services.GetService<KappaLifecycle>()
                ?? throw new InvalidOperationException("The host has no lifecycle: add it with services.AddKappa(...).AddLifecycle(...).");
            LifecycleHostOptions options = host.Services.GetRequiredService<LifecycleHostOptions>();
            string id = KappaNames.ConsumerGroup(words[1], version);
            if (!options.Verifiers.TryGetValue(id, out var verify))
            {
                throw new InvalidOperationException($"The host cannot verify {id}: register it with AddLifecycle(..., o => o.Verify(() => new YourProcessor())) (registered: {(options.Verifiers.Count == 0 ? "none" : string.Join(", ", options.Verifiers.Keys.Order(StringComparer.Ordinal)))}).");
            }

            VerificationResult result = verify(lifecycle);
            if (json)
            {
                output.WriteLine(JsonSerializer.Serialize(result, LifecycleJson.Options));
            }
            else
            {
                output.WriteLine($"{id}: {(result.Deterministic ? "deterministic" : "NOT deterministic")} over {result.Records} records{(result.FirstDifference is null ? string.Empty : "; first difference: " + result.FirstDifference)}");
                foreach (OutputDiff diff in result.Diffs)
                {
                    output.WriteLine($"  {diff.Sink} vs v{result.ComparedWith}: {diff.Equal} equal, {diff.Changed} changed, {diff.OnlyInNew} only in v{version}, {diff.OnlyInOld} only in v{result.ComparedWith}{(diff.ChangedSamples.Count == 0 ? string.Empty : "; changed e.g. " + string.Join(", ", diff.ChangedSamples))}");
                }
            }

            return result.Passed ? 0 : 2;
        }
        catch (Exception failure) when (failure is not OutOfMemoryException)
        {
            if (json)
            {
                output.WriteLine(JsonSerializer.Serialize(new { error = "error", message = failure.Message, exitCode = 1 }, LifecycleJson.Options));
            }
            else
            {
                error.WriteLine("kappa: error: " + failure.Message);
            }

            return 1;
        }
    }
}
