using Kappa.Hosting;
using Kappa.Lifecycle.Hosting;
using Kappa.Lifecycle.Tests.Infrastructure;
using Kappa.Lifecycle.Tests.Model;
using Kappa.Sinks;
using Kappa.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kappa.Lifecycle.Tests;

/// <summary>
/// Promote switches all of a version's views in one transaction of the lifecycle's serving database, so a version's
/// sinks must all live there: a host whose sink writers write elsewhere refuses to start, and a promote whose tables are
/// not all in the serving database switches nothing and leaves the registry as it was.
/// </summary>
public sealed class ServingDatabaseTests
{
    [Fact]
    public async Task AHostWhoseSinkWritesToAnotherDatabaseThanTheLifecycleRefusesToStart()
    {
        using var transport = TestTransport.Create(TransportKind.EmbeddedLog);
        using var serving = TestDatabase.Create(DatabaseKind.Sqlite);
        using var other = TestDatabase.Create(DatabaseKind.Sqlite);
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Services.AddKappa(_ => new NonOwningTransport(transport.Transport))
            .AddAmountsV1()
            .AddAmountsV1Tables(_ => other.Database)
            .AddLifecycle(_ => serving.Database);
        using IHost host = builder.Build();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());
        Assert.Contains($"switches serving views in {serving.Database.Description}", error.Message, StringComparison.Ordinal);
        Assert.Contains($"customer_amounts_v1 ({other.Database.Description})", error.Message, StringComparison.Ordinal);
        // Nothing started: no processor committed, no writer created its table.
        Assert.Null(new DeploymentRegistry(transport.Transport, "observer").Read().Find(AmountsV1.Name));
        Assert.DoesNotContain("customer_amounts_v1", other.Tables());
        Assert.DoesNotContain("customer-amounts.v1", transport.Transport.ListTopics());
    }

    [Fact]
    public void APromoteWhoseTablesAreNotAllInTheServingDatabaseSwitchesNothing()
    {
        using var transport = TestTransport.Create(TransportKind.EmbeddedLog);
        using var db = TestDatabase.Create(DatabaseKind.Sqlite);
        var lifecycle = new KappaLifecycle(transport.Transport, db.Database, new LifecycleOptions { Instance = "test" });
        VersionArtifacts Version(int version) => new() { Processor = "books", Version = version, InputTopics = ["pages"], Sinks = ["ledger", "journal"] };
        foreach (string table in new[] { "ledger_v1", "journal_v1", "ledger_v2" })
        {
            Execute(db, $"CREATE TABLE {table} (id INTEGER)");
        }

        lifecycle.Deploy(Version(1));
        lifecycle.Deploy(Version(2));
        lifecycle.Promote("books", 1, force: true);

        // journal_v2 is missing (its writer writes to another database, or has not started). Its output topic has
        // records, and none is in the serving database: promote is refused for the tables' lag.
        transport.Transport.EnsureTopics([new TopicSpec("journal.v2", 1)]);
        using (IKappaProducer producer = transport.Transport.CreateProducer(new ProducerSettings()))
        {
            for (int i = 0; i < 3; i++)
            {
                producer.Produce(new OutgoingRecord("journal.v2", [(byte)i], [1]) { Partition = 0 });
            }

            producer.Flush();
        }

        var refused = Assert.Throws<LifecycleRefusedException>(() => lifecycle.Promote("books", 2));
        Assert.Contains("its tables are not caught up: up to 3 records", refused.Message, StringComparison.Ordinal);
        Assert.Equal(1, db.Database.GetServingVersion("journal"));

        // Forced: nothing switches.
        var error = Assert.Throws<InvalidOperationException>(() => lifecycle.Promote("books", 2, force: true));
        Assert.Contains("journal_v2 does not exist", error.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was switched and the registry was put back", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, db.Database.GetServingVersion("ledger"));
        Assert.Equal(1, db.Database.GetServingVersion("journal"));
        ProcessorDeployment books = lifecycle.Registry.Read().Find("books")!;
        Assert.Equal(1, books.Serving?.Version);
        Assert.Equal(VersionState.Replaying, books.Find(2)!.State);
        Assert.Equal("promote-failed", books.History[^1].Operation);

        Execute(db, "CREATE TABLE journal_v2 (id INTEGER)");
        PromoteResult promoted = lifecycle.Promote("books", 2, force: true);
        Assert.Equal(["journal", "ledger"], promoted.SwitchedViews.Order(StringComparer.Ordinal));
        Assert.Equal(2, db.Database.GetServingVersion("ledger"));
        Assert.Equal(2, db.Database.GetServingVersion("journal"));
    }

    private static void Execute(TestDatabase db, string sql)
    {
        using System.Data.Common.DbConnection connection = db.Open();
        using System.Data.Common.DbCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
