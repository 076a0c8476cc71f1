using System.Data.Common;
using System.Globalization;
using Kappa.Hosting;
using Kappa.Lifecycle.Tests.Infrastructure;
using Kappa.Lifecycle.Tests.Model;
using Kappa.Log.Registry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kappa.Lifecycle.Tests;

/// <summary>A generated processor writes a Confluent-framed [ServingTable] output; its generated Add{Processor}Tables materializes it.</summary>
public sealed class FramedServingTableTests
{
    [Fact]
    public async Task TheGeneratedTablesRegistration_ReadsAFramedOutputThroughTheRegistry()
    {
        using var transport = TestTransport.Create(TransportKind.EmbeddedLog);
        using var db = TestDatabase.Create(DatabaseKind.Sqlite);
        EmbeddedSchemaRegistry registry = FramedVerifyTests.Registry(transport);
        Sales.Produce(transport.Transport, 0, 1_000);

        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Services.AddKappa(_ => new NonOwningTransport(transport.Transport))
            .AddSchemaRegistry(_ => registry)
            .AddFramedTableAmounts()
            .AddFramedTableAmountsTables(_ => db.Database);
        using (IHost host = builder.Build())
        {
            await host.StartAsync();
            Wait.Until(() => Rows(db), rows => rows.Count == 50 && rows.All(r => r.Amount >= 950), "the framed output's table has every customer's last sale");
            await host.StopAsync();
        }

        // Every value in the topic is framed with the schema the processor registered, and the table holds the last of each customer.
        int id = (await registry.GetVersionsAsync("framed-table-amounts.v1-value")).Single().Id;
        Assert.True(id > 0);
        Assert.Equal(Enumerable.Range(0, 50).Select(k => ($"c{k:D3}", 950L + k)), Rows(db).Select(r => (r.Customer, r.Amount)));
        Assert.DoesNotContain("framed-table-amounts.v1.sink-dlq", transport.Transport.ListTopics());
    }

    private static List<(string Customer, long Amount)> Rows(TestDatabase db)
    {
        var rows = new List<(string, long)>();
        if (!db.Tables().Contains("framed_table_amounts_v1"))
        {
            return rows;
        }

        using DbConnection connection = db.Open();
        using DbCommand command = connection.CreateCommand();
        command.CommandText = "SELECT customer, amount FROM framed_table_amounts_v1 ORDER BY customer";
        using DbDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add((reader.GetString(0), Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture)));
        }

        return rows;
    }
}
