using System.Text.Json;
using Kappa.Hosting;
using Kappa.Lifecycle.Hosting;
using Kappa.Lifecycle.Tests.Infrastructure;
using Kappa.Lifecycle.Tests.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kappa.Lifecycle.Tests;

/// <summary><c>dotnet run -- kappa verify ...</c>: the command that needs the user's code, run from the user's host.</summary>
public sealed class HostCommandTests
{
    [Fact]
    public void TheHostVerifiesAVersionAndRecordsTheResult()
    {
        using var transport = TestTransport.Create(TransportKind.EmbeddedLog);
        using var db = TestDatabase.Create(DatabaseKind.Sqlite);
        Sales.Produce(transport.Transport, 0, 120);
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Services.AddKappa(_ => new NonOwningTransport(transport.Transport))
            .AddAmountsV2()
            .AddLifecycle(_ => db.Database, o => o.Verify(() => new AmountsV2()));
        using IHost host = builder.Build();

        Assert.Null(host.RunKappaCommand(["--urls", "x"]));

        var output = new StringWriter();
        Assert.Equal(0, host.RunKappaCommand(["kappa", "verify", "amounts", "2", "--json"], output));
        JsonElement result = JsonDocument.Parse(output.ToString()).RootElement;
        Assert.True(result.GetProperty("deterministic").GetBoolean());
        Assert.Equal(120, result.GetProperty("records").GetInt64());
        VersionStatus v2 = new DeploymentRegistry(transport.Transport).Read().Processors["amounts"].Find(2)!;
        Assert.True(v2.Verified);
        Assert.Equal(VersionState.Replaying, v2.State);

        var error = new StringWriter();
        Assert.Equal(1, host.RunKappaCommand(["kappa", "verify", "amounts", "1"], TextWriter.Null, error));
        Assert.Contains("cannot verify amounts.v1", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, host.RunKappaCommand(["kappa", "promote", "amounts", "2"], TextWriter.Null, TextWriter.Null));
    }
}
