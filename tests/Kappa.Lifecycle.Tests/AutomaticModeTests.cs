using Kappa.Hosting;
using Kappa.Lifecycle.Hosting;
using Kappa.Lifecycle.Tests.Infrastructure;
using Kappa.Lifecycle.Tests.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kappa.Lifecycle.Tests;

/// <summary>Automatic mode: a host running v1 and v2 ends with v2 serving and v1 retired, with no manual step.</summary>
public sealed class AutomaticModeTests
{
    [Fact]
    public async Task AHostWithTwoVersionsEndsWithTheNewOneServingAndTheOldOneRetired()
    {
        using var transport = TestTransport.Create(TransportKind.EmbeddedLog);
        using var db = TestDatabase.Create(DatabaseKind.Sqlite);
        Sales.Produce(transport.Transport, 0, 1_000);

        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Services.AddKappa(_ => new NonOwningTransport(transport.Transport))
            .AddAmountsV1()
            .AddAmountsV1Tables(_ => db.Database)
            .AddAmountsV2()
            .AddAmountsV2Tables(_ => db.Database)
            .AddLifecycle(_ => db.Database, o =>
            {
                o.Automatic = true;
                o.RetireGracePeriod = TimeSpan.Zero;
                o.Interval = TimeSpan.FromMilliseconds(100);
                o.Lifecycle = new LifecycleOptions { Instance = "auto-host", StopTimeout = TimeSpan.FromSeconds(20) };
                o.Verify(() => new AmountsV1()).Verify(() => new AmountsV2());
            });
        var registry = new DeploymentRegistry(transport.Transport, "observer");
        using (IHost host = builder.Build())
        {
            await host.StartAsync();
            Wait.Until(
                () => registry.Read().Find(AmountsV1.Name) is { } d ? (d.Find(1)?.State, d.Find(2)?.State, db.Tables().Contains("customer_amounts_v1")) : default,
                s => s == (VersionState.Retired, VersionState.Serving, false),
                "v2 serves and v1 is retired and deleted");
            // Status shows v2's tables' lag: measured in the serving database when it has one, else as the host's
            // heartbeat reports its sink writers' lag.
            Wait.Until(() => new KappaLifecycle(transport.Transport, db.Database).Status().Processors[0].Versions.Single(v => v.Version == 2).SinkWriterLag, lag => lag == 0, "status measures v2's tables' lag in the database");
            Wait.Until(() => new KappaLifecycle(transport.Transport).Status().Processors[0].Versions.Single(v => v.Version == 2).SinkWriterLag, lag => lag == 0, "status shows v2's sink writer lag from the heartbeat");
            Assert.Null(new KappaLifecycle(transport.Transport).Status().Processors[0].Versions.Single(v => v.Version == 1).SinkWriterLag); // retired: no writer reports it
            await host.StopAsync();
        }

        Assert.Equal(2, db.Database.GetServingVersion(AmountsV1.Sink));
        Assert.Equal(["_kappa_offsets", "_kappa_serving", "customer_amounts_v2"], db.Tables().Where(t => t != "_kappa_dead_letters"));
        Assert.DoesNotContain("customer-amounts.v1", transport.Transport.ListTopics());
        Assert.DoesNotContain("amounts.v1", transport.Transport.ListConsumerGroups());
        Assert.Contains("amounts.v2", transport.Transport.ListConsumerGroups());
        ProcessorDeployment deployment = registry.Read().Processors[AmountsV1.Name];
        Assert.All(deployment.History, t => Assert.Equal("auto-host", t.Instance));
        Assert.Contains(deployment.History, t => t.Operation == "promote" && t.Changes.Any(c => c.Version == 2 && c.State == VersionState.Serving));
        Assert.True(deployment.Find(2)!.Verified);
        HostHeartbeat heartbeat = Assert.Single(registry.Read().Heartbeats);
        Assert.Equal(["amounts.v2"], heartbeat.Running);
        Assert.Equal(["customer_amounts_v2"], heartbeat.SinkLags!.Keys);
    }
}
