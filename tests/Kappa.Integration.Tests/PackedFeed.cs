namespace Kappa.Integration.Tests;

/// <summary>
/// Packs every packable project of Gen.sln once (no build: the packed binaries are the ones the suite built) into a local
/// folder under a temporary work directory, shared by the <see cref="PackageTests"/>; deleted afterwards.
/// </summary>
public sealed class PackedFeed : IDisposable
{
    public PackedFeed()
    {
        Work = Path.Combine(Path.GetTempPath(), "kappa-pkg-" + Guid.NewGuid().ToString("N"));
        Feed = Path.Combine(Work, "feed");
        Packages = Path.Combine(Work, "packages");
        Directory.CreateDirectory(Work);
        string configuration = typeof(PackedFeed).Assembly.Location.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var pack = ProcessRunner.Run("dotnet", ["pack", "Gen.sln", "-c", configuration, "--no-build", "-o", Feed], RepoPaths.Root, TimeSpan.FromMinutes(6));
        if (pack.ExitCode != 0)
        {
            throw new InvalidOperationException("dotnet pack Gen.sln failed:\n" + pack.Output);
        }

        const string runtime = "Kappa.Runtime.";
        string nupkg = Path.GetFileNameWithoutExtension(Directory.GetFiles(Feed, runtime + "*.nupkg").SingleOrDefault()
            ?? throw new InvalidOperationException($"No single Kappa.Runtime package in {Feed}:\n{pack.Output}"));
        Version = nupkg[runtime.Length..];
    }

    /// <summary>The temporary directory holding the feed, the private packages folder and the test projects.</summary>
    public string Work { get; }

    /// <summary>The folder the packages were packed into (a local package source).</summary>
    public string Feed { get; }

    /// <summary>A private global packages folder, so this run's packages are never confused with a cached Kappa of the same version.</summary>
    public string Packages { get; }

    /// <summary>The version of the packed packages (Kappa.Runtime's).</summary>
    public string Version { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Work, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
