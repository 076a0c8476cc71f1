namespace Kappa.Integration.Tests;

/// <summary>
/// Consumes the packed Kappa.Runtime nupkg from a local folder source in a fresh project, so packaging mistakes
/// (generators or analyzers missing from analyzers/dotnet/cs, wrong dependencies) fail the suite.
/// </summary>
public class PackageTests
{
    [Fact]
    public void Packed_nupkg_generates_code_in_a_fresh_project()
    {
        string work = Path.Combine(Path.GetTempPath(), "kappa-pkg-" + Guid.NewGuid().ToString("N"));
        string feed = Path.Combine(work, "feed");
        string app = Path.Combine(work, "app");
        Directory.CreateDirectory(app);
        try
        {
            string configuration = typeof(PackageTests).Assembly.Location.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
            var pack = ProcessRunner.Run(
                "dotnet",
                ["pack", "src/Runtime/Kappa.Runtime/Kappa.Runtime.csproj", "-c", configuration, "--no-build", "-o", feed],
                RepoPaths.Root,
                TimeSpan.FromMinutes(3));
            Assert.True(pack.ExitCode == 0, "dotnet pack failed:\n" + pack.Output);
            string nupkg = Assert.Single(Directory.GetFiles(feed, "Kappa.Runtime.*.nupkg"));
            using (var zip = System.IO.Compression.ZipFile.OpenRead(nupkg))
            {
                var entries = zip.Entries.Select(e => e.FullName).ToList();
                Assert.Contains("analyzers/dotnet/cs/Kappa.Generators.dll", entries);
                Assert.Contains("analyzers/dotnet/cs/Scriban.Signed.dll", entries);
                Assert.Contains("analyzers/dotnet/cs/Kappa.Analyzers.dll", entries);
                Assert.Contains("lib/net10.0/Kappa.Runtime.dll", entries);
            }

            string version = Path.GetFileNameWithoutExtension(nupkg)["Kappa.Runtime.".Length..];
            File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <add key="kappa-local" value="{feed}" />
                  </packageSources>
                </configuration>
                """);
            File.WriteAllText(Path.Combine(app, "App.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                    <NoWarn>NU1603</NoWarn>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="Kappa.Runtime" Version="{version}" />
                  </ItemGroup>
                </Project>
                """);
            File.WriteAllText(Path.Combine(app, "Program.cs"), """
                using Kappa;
                using Kappa.Avro;

                var order = new Order("o-1", "EU", 12.5m, new List<string> { "a", "b" });
                byte[] bytes = AvroSerializer.SerializeToArray(order);
                var back = AvroSerializer.Deserialize<Order>(bytes);
                Console.WriteLine($"roundtrip {back.Id} {back.Region} {back.Amount} {string.Join(",", back.Tags)} {bytes.Length} bytes");
                Console.WriteLine($"fingerprint {Order.AvroFingerprint != 0}");

                [AvroRecord]
                public partial record Order(string Id, string Region, [property: AvroDecimal(18, 2)] decimal Amount, List<string> Tags);
                """);

            // A private packages folder, so this run's Kappa.Runtime is never confused with a cached one.
            var run = ProcessRunner.Run(
                "dotnet",
                ["run", "-c", "Release", "--packages", Path.Combine(work, "packages")],
                app,
                TimeSpan.FromMinutes(5));
            Assert.True(run.ExitCode == 0, "The fresh project failed to build or run:\n" + run.Output);
            Assert.Contains("roundtrip o-1 EU 12.50 a,b", run.Output);
            Assert.Contains("fingerprint True", run.Output);
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
}
