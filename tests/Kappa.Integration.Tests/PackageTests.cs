using System.IO.Compression;
using System.Text.Json;
using System.Xml.Linq;

namespace Kappa.Integration.Tests;

/// <summary>
/// The packages as users get them: every packable project of the solution packed into a local folder
/// (<see cref="PackedFeed"/>), what each package holds, and fresh projects that reference them by version only (no
/// project references), so packaging mistakes (generators or analyzers missing from analyzers/dotnet/cs, a type left in
/// the wrong package, a missing dependency) fail the suite.
/// </summary>
public class PackageTests(PackedFeed feed) : IClassFixture<PackedFeed>
{
    /// <summary>The packages users choose from; a new packable project must be added here (and checked below).</summary>
    private static readonly string[] Shipped = ["Kappa.Cli", "Kappa.EmbeddedLog", "Kappa.Kafka", "Kappa.Lifecycle", "Kappa.PostgreSql", "Kappa.Runtime", "Kappa.Sqlite", "Kappa.Testing"];

    /// <summary>The libraries the fresh app references (every shipped package but the kappa tool).</summary>
    private static readonly string[] Libraries = Shipped.Where(id => id != "Kappa.Cli").ToArray();

    [Fact]
    public void Each_package_holds_its_assembly_and_the_core_carries_generators_and_analyzers()
    {
        string[] packed = Directory.GetFiles(feed.Feed, "*.nupkg").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(Shipped.Select(id => $"{id}.{feed.Version}.nupkg"), packed);

        var runtime = Package.Open(feed, "Kappa.Runtime");
        Assert.Contains("lib/net10.0/Kappa.Runtime.dll", runtime.Entries);
        Assert.Contains("analyzers/dotnet/cs/Kappa.Generators.dll", runtime.Entries);
        Assert.Contains("analyzers/dotnet/cs/Scriban.Signed.dll", runtime.Entries);
        Assert.Contains("analyzers/dotnet/cs/Kappa.Analyzers.dll", runtime.Entries);
        Assert.Contains("analyzers/dotnet/cs/Kappa.Analyzers.CodeFixes.dll", runtime.Entries);
        Assert.DoesNotContain(runtime.Dependencies, d => d.Id.StartsWith("Kappa.", StringComparison.Ordinal));

        var log = Package.Open(feed, "Kappa.EmbeddedLog");
        Assert.Contains("lib/net10.0/Kappa.EmbeddedLog.dll", log.Entries);
        Assert.DoesNotContain(log.Entries, e => e.StartsWith("analyzers/", StringComparison.Ordinal));
        AssertCarriesRuntime(log);

        var kafka = Package.Open(feed, "Kappa.Kafka");
        Assert.Contains("lib/net10.0/Kappa.Kafka.dll", kafka.Entries);
        AssertCarriesRuntime(kafka);
        Assert.Equal("2.16.0", Assert.Single(kafka.Dependencies, d => d.Id == "Confluent.Kafka").Version);
        Assert.Equal("2.16.0", Assert.Single(kafka.Dependencies, d => d.Id == "librdkafka.redist").Version);

        // The test driver: the runner in memory or over a temporary embedded log, and no test framework.
        var testing = Package.Open(feed, "Kappa.Testing");
        Assert.Contains("lib/net10.0/Kappa.Testing.dll", testing.Entries);
        AssertCarriesRuntime(testing);
        Assert.Equal(feed.Version, Assert.Single(testing.Dependencies, d => d.Id == "Kappa.EmbeddedLog").Version);
        Assert.DoesNotContain(testing.Dependencies, d => d.Id.Contains("xunit", StringComparison.OrdinalIgnoreCase) || d.Id.Contains("nunit", StringComparison.OrdinalIgnoreCase) || d.Id.Contains("MSTest", StringComparison.OrdinalIgnoreCase));

        var sqlite = Package.Open(feed, "Kappa.Sqlite");
        Assert.Contains("lib/net10.0/Kappa.Sqlite.dll", sqlite.Entries);
        AssertCarriesRuntime(sqlite);
        Assert.Single(sqlite.Dependencies, d => d.Id == "Microsoft.Data.Sqlite");

        var postgres = Package.Open(feed, "Kappa.PostgreSql");
        Assert.Contains("lib/net10.0/Kappa.PostgreSql.dll", postgres.Entries);
        AssertCarriesRuntime(postgres);
        Assert.Single(postgres.Dependencies, d => d.Id == "Npgsql");

        var lifecycle = Package.Open(feed, "Kappa.Lifecycle");
        Assert.Contains("lib/net10.0/Kappa.Lifecycle.dll", lifecycle.Entries);
        AssertCarriesRuntime(lifecycle);

        // The kappa tool: a .NET tool package (dotnet tool install), its command named kappa.
        var cli = Package.Open(feed, "Kappa.Cli");
        Assert.Contains(cli.Entries, e => e.StartsWith("tools/net10.0/any/", StringComparison.Ordinal) && e.EndsWith("DotnetToolSettings.xml", StringComparison.Ordinal));
        Assert.Contains(cli.Nuspec.Descendants(), e => e.Name.LocalName == "packageType" && (string?)e.Attribute("name") == "DotnetTool");

        foreach (var package in new[] { runtime, log, kafka, testing, sqlite, postgres, lifecycle })
        {
            Assert.Contains("README.md", package.Entries);
            Assert.Equal("README.md", package.Metadata("readme"));
            Assert.Contains($"lib/net10.0/{package.Id}.xml", package.Entries);
            Assert.False(string.IsNullOrWhiteSpace(package.Metadata("description")), $"{package.Id} has no description.");
            Assert.Contains("kappa", package.Metadata("tags")?.Split(' ') ?? []);
        }
    }

    [Fact]
    public void A_fresh_project_runs_a_stateful_processor_on_the_embedded_log_and_gets_the_analyzers()
    {
        string app = Path.Combine(feed.Work, "app");
        PackageConsumerProject.Write(app, feed);
        var build = ProcessRunner.Run("dotnet", ["build", "-c", "Release"], app, TimeSpan.FromMinutes(5));
        Assert.True(build.ExitCode == 0, "The fresh project failed to build (warnings are errors there):\n" + build.Output);
        Assert.True(Directory.Exists(Path.Combine(feed.Packages, "kappa.runtime", feed.Version)), "The packages were not restored into the private folder.");
        AssertReferencedAsPackages(Path.Combine(app, "bin", "Release", "net10.0", "App.deps.json"));

        var run = ProcessRunner.Run("dotnet", ["run", "-c", "Release", "--no-build", "--", Path.Combine(feed.Work, "app-log")], app, TimeSpan.FromMinutes(3));
        Assert.True(run.ExitCode == 0, "The fresh project failed:\n" + run.Output);
        Assert.Contains("roundtrip o-x c-x 12.50 fingerprint True", run.StandardOutput);
        Assert.Matches(@"kafka pong from Kappa\.Kafka with \S*librdkafka\S*\.so", run.StandardOutput);
        Assert.Contains("processed 30 records into customer-totals.v1", run.StandardOutput);
        // Orders i = 0..29 of customer c-(i % 3), worth i + 0.25, stamped 1_700_000_000_000 + i (the log time).
        Assert.Contains("total c-0 10 orders 137.50 at 1700000000027", run.StandardOutput);
        Assert.Contains("total c-1 10 orders 147.50 at 1700000000028", run.StandardOutput);
        Assert.Contains("total c-2 10 orders 157.50 at 1700000000029", run.StandardOutput);
        Assert.Contains("driver 2 orders 3.50 outputs 2 last at 1700000001000", run.StandardOutput);

        // The determinism analyzers run from the package: a wall-clock read in a handler is reported.
        Assert.DoesNotContain("KAPPA101", build.Output);
        PackageConsumerProject.AddHazard(app);
        var hazard = ProcessRunner.Run("dotnet", ["build", "-c", "Release", "--no-restore", "-p:TreatWarningsAsErrors=false"], app, TimeSpan.FromMinutes(3));
        Assert.True(hazard.ExitCode == 0, "The build with the hazard failed:\n" + hazard.Output);
        Assert.Matches(@$"{PackageConsumerProject.HazardFile}\(\d+,\d+\): warning KAPPA101: DateTime\.UtcNow", hazard.Output);
    }

    [Fact]
    public void The_orders_sample_runs_from_the_packages()
    {
        string sample = Path.Combine(feed.Work, "sample");
        PackageConsumerProject.WriteProject(sample, feed, "Kappa.Samples.Orders");
        string sources = Path.Combine(RepoPaths.Root, "samples", "Kappa.Samples.Orders");
        foreach (string source in Directory.GetFiles(sources, "*.cs", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(sources, source);
            if (relative.StartsWith("bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal) || relative.StartsWith("obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                continue;
            }

            string target = Path.Combine(sample, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(source, target);
        }

        var build = ProcessRunner.Run("dotnet", ["build", "-c", "Release"], sample, TimeSpan.FromMinutes(5));
        Assert.True(build.ExitCode == 0, "The sample failed to build from the packages:\n" + build.Output);
        var run = ProcessRunner.Run("dotnet", ["run", "-c", "Release", "--no-build", "--", "--orders", "2000", "--data", Path.Combine(feed.Work, "sample-data")], sample, TimeSpan.FromMinutes(3));
        Assert.True(run.ExitCode == 0, "The sample failed when built from the packages:\n" + run.Output);
        Assert.Contains("-> 2,000 records in enriched-orders.v1, 1 in enrich-orders.v1.dlq", run.StandardOutput);
        Assert.Contains("identical, deterministic", run.StandardOutput);
    }

    /// <summary>A transport package depends on Kappa.Runtime of the same version, analyzers included (not excluded).</summary>
    private void AssertCarriesRuntime(Package package)
    {
        var dependency = Assert.Single(package.Dependencies, d => d.Id == "Kappa.Runtime");
        Assert.Equal(feed.Version, dependency.Version);
        Assert.DoesNotContain("Analyzers", dependency.Exclude ?? "", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The app's deps.json lists the Kappa assemblies as packages of this version (not projects).</summary>
    private void AssertReferencedAsPackages(string depsJson)
    {
        using var deps = JsonDocument.Parse(File.ReadAllText(depsJson));
        JsonElement libraries = deps.RootElement.GetProperty("libraries");
        foreach (string id in Libraries)
        {
            Assert.True(libraries.TryGetProperty($"{id}/{feed.Version}", out JsonElement library), $"{id}/{feed.Version} is not in {depsJson}.");
            Assert.Equal("package", library.GetProperty("type").GetString());
        }
    }

    private sealed record Dependency(string Id, string Version, string? Exclude);

    /// <summary>A nupkg's file list and nuspec.</summary>
    private sealed record Package(string Id, IReadOnlyList<string> Entries, XElement Nuspec)
    {
        public static Package Open(PackedFeed feed, string id)
        {
            using ZipArchive zip = ZipFile.OpenRead(Path.Combine(feed.Feed, $"{id}.{feed.Version}.nupkg"));
            var entries = zip.Entries.Select(e => e.FullName).ToList();
            ZipArchiveEntry nuspec = zip.GetEntry($"{id}.nuspec") ?? throw new InvalidOperationException($"{id} has no {id}.nuspec.");
            using Stream stream = nuspec.Open();
            return new Package(id, entries, XElement.Load(stream));
        }

        public IReadOnlyList<Dependency> Dependencies =>
            Nuspec.Descendants().Where(e => e.Name.LocalName == "dependency")
                .Select(e => new Dependency((string)e.Attribute("id")!, (string)e.Attribute("version")!, (string?)e.Attribute("exclude")))
                .ToList();

        public string? Metadata(string name) =>
            Nuspec.Elements().Single(e => e.Name.LocalName == "metadata").Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;
    }
}
