using System.Text.Json;
using Kappa.Hosting;
using Kappa.Lifecycle.Hosting;
using Kappa.Lifecycle.Tests.Infrastructure;
using Kappa.Lifecycle.Tests.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kappa.Lifecycle.Tests;

/// <summary>
/// <c>dotnet run -- kappa replay &lt;processor&gt; &lt;version&gt;</c>: the host runs one version and its sink writers
/// from the version's committed position until caught up, reports progress, records Replaying then CaughtUp, and exits
/// 0; 2 for a version it must not replay, 1 for errors.
/// </summary>
public sealed class HostReplayTests
{
    [Fact]
    public void ReplayRunsAFreshVersionFromOffsetZeroUntilCaughtUpAndRecordsIt()
    {
        using var transport = TestTransport.Create(TransportKind.EmbeddedLog);
        using var db = TestDatabase.Create(DatabaseKind.Sqlite);
        Sales.Produce(transport.Transport, 0, 3_000);
        var output = new StringWriter();
        using (IHost host = Build(transport, db))
        {
            Assert.Equal(0, host.RunKappaCommand(["kappa", "replay", "amounts", "2", "--interval", "0.05", "--json"], output));
        }

        JsonElement[] lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        JsonElement last = lines[^1];
        Assert.Equal("caughtUp", last.GetProperty("type").GetString());
        Assert.Equal("amounts", last.GetProperty("processor").GetString());
        Assert.Equal(2, last.GetProperty("version").GetInt32());
        Assert.Equal("caughtUp", last.GetProperty("state").GetString());
        Assert.Equal(3_000, last.GetProperty("done").GetInt64());
        Assert.Equal(0, last.GetProperty("lag").GetInt64());
        Assert.Equal(3_000, last.GetProperty("replayed").GetInt64());
        Assert.Equal(0, last.GetProperty("sinkWriterLag").GetProperty("customer_amounts_v2").GetInt64());
        Assert.All(lines[..^1], l => Assert.Equal("progress", l.GetProperty("type").GetString()));
        Assert.All(lines, l => Assert.True(l.GetProperty("elapsedSeconds").GetDouble() > 0));

        // The registry has v2 Replaying then CaughtUp, its table holds every customer, and no instance runs it any more.
        var registry = new DeploymentRegistry(transport.Transport, "observer");
        ProcessorDeployment amounts = registry.Read().Find(AmountsV1.Name)!;
        Assert.Equal(VersionState.CaughtUp, amounts.Find(2)!.State);
        Assert.Equal(["deploy", "caught-up"], amounts.History.Select(t => t.Operation));
        Assert.Empty(registry.Read().LiveInstances(AmountsV1.Name, 2, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1)));
        Assert.Equal(50, Count(db, "customer_amounts_v2"));

        // Run again (a new process of the host) with more input: it goes on from its committed position, not from 0.
        Sales.Produce(transport.Transport, 3_000, 500);
        output = new StringWriter();
        using (IHost host = Build(transport, db))
        {
            Assert.Equal(0, host.RunKappaCommand(["kappa", "replay", "amounts", "2", "--interval", "0.05"], output));
        }

        string text = output.ToString();
        Assert.Contains("amounts.v2 caught up (CaughtUp): 3500 done, 0 left, replayed 500 in ", text, StringComparison.Ordinal);
        Assert.Contains("sink writers' lag customer_amounts_v2 0", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ReplayRefusesARetiredVersionOrOneALiveHostRunsAndFailsForAVersionTheHostDoesNotHave()
    {
        using var transport = TestTransport.Create(TransportKind.EmbeddedLog);
        using var db = TestDatabase.Create(DatabaseKind.Sqlite);
        Sales.Produce(transport.Transport, 0, 100);
        using IHost host = Build(transport, db);
        var lifecycle = new KappaLifecycle(transport.Transport, db.Database, new LifecycleOptions { Instance = "other-host" });

        // Another host runs v2 (its heartbeat is live): refused.
        lifecycle.Deploy(VersionArtifacts.From(AmountsV2.KappaDescriptor));
        lifecycle.Registry.Heartbeat(["amounts.v2"]);
        var output = new StringWriter();
        Assert.Equal(2, host.RunKappaCommand(["kappa", "replay", "amounts", "2", "--json"], output));
        JsonElement refused = JsonDocument.Parse(output.ToString()).RootElement;
        Assert.Equal("refused", refused.GetProperty("error").GetString());
        Assert.Equal(2, refused.GetProperty("exitCode").GetInt32());
        Assert.Contains("already runs on other-host", refused.GetProperty("message").GetString(), StringComparison.Ordinal);

        // Retired: refused, and nothing ran (no committed position).
        lifecycle.Registry.Heartbeat([]);
        ProcessorDeployment deployment = lifecycle.Registry.Read().Find(AmountsV1.Name)!;
        lifecycle.Registry.Propose(AmountsV1.Name, deployment.Sequence, "retire", [new VersionChange(2, VersionState.Retired)], "test");
        var error = new StringWriter();
        Assert.Equal(2, host.RunKappaCommand(["kappa", "replay", "amounts", "2"], TextWriter.Null, error));
        Assert.Contains("kappa: refused: amounts.v2 is Retired", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("customer-amounts.v2", transport.Transport.ListTopics());

        // Errors: a version the host does not run, bad arguments.
        error = new StringWriter();
        Assert.Equal(1, host.RunKappaCommand(["kappa", "replay", "amounts", "7"], TextWriter.Null, error));
        Assert.Contains("The host does not run amounts.v7 (it runs: amounts.v2)", error.ToString(), StringComparison.Ordinal);
        error = new StringWriter();
        Assert.Equal(1, host.RunKappaCommand(["kappa", "replay", "amounts", "2", "--timeout", "soon"], TextWriter.Null, error));
        Assert.Contains("--timeout takes a number of seconds", error.ToString(), StringComparison.Ordinal);
    }

    private static long Count(TestDatabase db, string table)
    {
        using System.Data.Common.DbConnection connection = db.Open();
        using System.Data.Common.DbCommand command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM {table}";
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static IHost Build(TestTransport transport, TestDatabase db)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Services.AddKappa(_ => new NonOwningTransport(transport.Transport))
            .AddAmountsV2()
            .AddAmountsV2Tables(_ => db.Database)
            .AddLifecycle(_ => db.Database, o => o.Lifecycle = new LifecycleOptions { Instance = "replay-host" });
        return builder.Build();
    }
}
