using System.IO.Compression;
using System.Text.Json;
using System.Xml.Linq;

namespace Kappa.Integration.Tests;

/// <summary>
/// Packs every packable project of the solution into a local folder, checks what each package holds, then builds and
/// runs a fresh console project that references the packages by version only (<see cref="PackageConsumerProject"/>), so
/// packaging mistakes (generators or analyzers missing from analyzers/dotnet/cs, a type left in the wrong package, a
/// missing dependency) fail the suite.
/// </summary>
public class PackageTests
{
    /// <summary>The packages users choose from; a new packable project must be added here (and checked below).</summary>
    private static readonly string[] Shipped = ["Kappa.EmbeddedLog", "Kappa.Kafka", "Kappa.Runtime"];

    [Fact]
    public void Packages_work_in_a_fresh_project_that_references_them_by_version()
    {
        string work = Path.Combine(Path.GetTempPath(), "kappa-pkg-" + Guid.NewGuid().ToString("N"));
        string feed = Path.Combine(work, "feed");
        string app = Path.Combine(work, "app");
        string packages = Path.Combine(work, "packages");
        Directory.CreateDirectory(app);
        try
        {
            string configuration = typeof(PackageTests).Assembly.Location.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
            var pack = ProcessRunner.Run("dotnet", ["pack", "Gen.sln", "-c", configuration, "--no-build", "-o", feed], RepoPaths.Root, TimeSpan.FromMinutes(3));
            Assert.True(pack.ExitCode == 0, "dotnet pack failed:\n" + pack.Output);

            string version = VersionOf(Assert.Single(Directory.GetFiles(feed, "Kappa.Runtime.*.nupkg")), "Kappa.Runtime");
            string[] packed = Directory.GetFiles(feed, "*.nupkg").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray();
            Assert.Equal(Shipped.Select(id => $"{id}.{version}.nupkg"), packed);

            var runtime = Package.Open(feed, "Kappa.Runtime", version);
            Assert.Contains("lib/net10.0/Kappa.Runtime.dll", runtime.Entries);
            Assert.Contains("analyzers/dotnet/cs/Kappa.Generators.dll", runtime.Entries);
            Assert.Contains("analyzers/dotnet/cs/Kappa.Analyzers.dll", runtime.Entries);
            Assert.Contains("analyzers/dotnet/cs/Kappa.Analyzers.CodeFixes.dll", runtime.Entries);
            Assert.DoesNotContain(runtime.Dependencies, d => d.Id.StartsWith("Kappa.", StringComparison.Ordinal));

            var log = Package.Open(feed, "Kappa.EmbeddedLog", version);
            Assert.Contains("lib/net10.0/Kappa.EmbeddedLog.dll", log.Entries);
            Assert.DoesNotContain(log.Entries, e => e.StartsWith("analyzers/", StringComparison.Ordinal));
            AssertCarriesRuntime(log, version);

            var kafka = Package.Open(feed, "Kappa.Kafka", version);
            Assert.Contains("lib/net10.0/Kappa.Kafka.dll", kafka.Entries);
            AssertCarriesRuntime(kafka, version);

            foreach (var package in new[] { runtime, log, kafka })
            {
                Assert.Contains("README.md", package.Entries);
                Assert.Equal("README.md", package.Metadata("readme"));
                Assert.False(string.IsNullOrWhiteSpace(package.Metadata("description")), $"{package.Id} has no description.");
                Assert.Contains("kappa", package.Metadata("tags")?.Split(' ') ?? []);
                Assert.Contains($"lib/net10.0/{package.Id}.xml", package.Entries);
            }

            PackageConsumerProject.Write(app, feed, packages, version);
            var build = ProcessRunner.Run("dotnet", ["build", "-c", "Release"], app, TimeSpan.FromMinutes(5));
            Assert.True(build.ExitCode == 0, "The fresh project failed to build (warnings are errors there):\n" + build.Output);
            Assert.True(Directory.Exists(Path.Combine(packages, "kappa.runtime", version)), "The packages were not restored into the private folder.");
            AssertReferencedAsPackages(Path.Combine(app, "bin", "Release", "net10.0", "App.deps.json"), version);

            var run = ProcessRunner.Run("dotnet", ["run", "-c", "Release", "--no-build", "--", Path.Combine(work, "log")], app, TimeSpan.FromMinutes(3));
            Assert.True(run.ExitCode == 0, "The fresh project failed:\n" + run.Output);
            Assert.Contains("roundtrip o-x c-x 12.50 fingerprint True", run.StandardOutput);
            Assert.Contains("kafka options localhost:9092 from Kappa.Kafka", run.StandardOutput);
            Assert.Contains("processed 30 records into customer-totals.v1", run.StandardOutput);
            // Orders i = 0..29 of customer c-(i % 3), worth i + 0.25, stamped 1_700_000_000_000 + i (the log time).
            Assert.Contains("total c-0 10 orders 137.50 at 1700000000027", run.StandardOutput);
            Assert.Contains("total c-1 10 orders 147.50 at 1700000000028", run.StandardOutput);
            Assert.Contains("total c-2 10 orders 157.50 at 1700000000029", run.StandardOutput);

            // The determinism analyzers run from the package: a wall-clock read in a handler is reported.
            Assert.DoesNotContain("KAPPA101", build.Output);
            PackageConsumerProject.AddHazard(app);
            var hazard = ProcessRunner.Run("dotnet", ["build", "-c", "Release", "--no-restore", "-p:TreatWarningsAsErrors=false"], app, TimeSpan.FromMinutes(3));
            Assert.True(hazard.ExitCode == 0, "The build with the hazard failed:\n" + hazard.Output);
            Assert.Matches(@$"{PackageConsumerProject.HazardFile}\(\d+,\d+\): warning KAPPA101: DateTime\.UtcNow", hazard.Output);
        }
        finally
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static string VersionOf(string nupkg, string id) => Path.GetFileNameWithoutExtension(nupkg)[(id.Length + 1)..];

    /// <summary>A transport package depends on Kappa.Runtime of the same version, analyzers included (not excluded).</summary>
    private static void AssertCarriesRuntime(Package package, string version)
    {
        var dependency = Assert.Single(package.Dependencies, d => d.Id == "Kappa.Runtime");
        Assert.Equal(version, dependency.Version);
        Assert.DoesNotContain("Analyzers", dependency.Exclude ?? "", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The app's deps.json lists the Kappa assemblies as packages of this version (not projects).</summary>
    private static void AssertReferencedAsPackages(string depsJson, string version)
    {
        using var deps = JsonDocument.Parse(File.ReadAllText(depsJson));
        JsonElement libraries = deps.RootElement.GetProperty("libraries");
        foreach (string id in Shipped)
        {
            Assert.True(libraries.TryGetProperty($"{id}/{version}", out JsonElement library), $"{id}/{version} is not in {depsJson}.");
            Assert.Equal("package", library.GetProperty("type").GetString());
        }
    }

    private sealed record Dependency(string Id, string Version, string? Exclude);

    /// <summary>A nupkg's file list and nuspec.</summary>
    private sealed record Package(string Id, IReadOnlyList<string> Entries, XElement Nuspec)
    {
        public static Package Open(string feed, string id, string version)
        {
            using ZipArchive zip = ZipFile.OpenRead(Path.Combine(feed, $"{id}.{version}.nupkg"));
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
