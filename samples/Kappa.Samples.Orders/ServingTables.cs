using Kappa.Sinks;
using Kappa.Sqlite;
using Kappa.Transport;
using Microsoft.Data.Sqlite;

namespace Kappa.Samples.Orders;

/// <summary>
/// The serving side of the sample: each version's output topic materialized into its own SQLite table next to the
/// embedded log, and the view that applications query switched from one version to the next.
/// </summary>
internal sealed class ServingTables(IKappaTransport transport, string path)
{
    public const string Sink = "enriched-orders";

    public SqliteSinkDatabase Database { get; } = new(path);

    /// <summary>Runs the sink writer of <paramref name="version"/> until its table has every record of its topic.</summary>
    public SinkTarget Materialize(int version)
    {
        var target = new SinkTarget(Sink, version);
        var writer = new SinkWriter<EnrichedOrder>(transport, Database, target);
        using var stop = new CancellationTokenSource();
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                writer.Run(stop.Token);
            }
            catch (Exception error)
            {
                failure = error;
            }
        })
        { Name = "sink " + target.Table };
        thread.Start();
        DateTime deadline = DateTime.UtcNow.AddMinutes(5);
        while (writer.Lag != 0 && failure is null && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(20);
        }

        stop.Cancel();
        thread.Join();
        if (failure is not null || writer.Lag != 0)
        {
            throw new InvalidOperationException($"The sink writer of {target.Table} did not catch up (lag {writer.Lag}).", failure);
        }

        return target;
    }

    /// <summary>Rows, and rows per tier, as an application reading the serving view sees them.</summary>
    public string Describe(string relation)
    {
        using SqliteConnection connection = Database.OpenConnection();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = $"SELECT tier, count(*) FROM \"{relation}\" GROUP BY tier ORDER BY tier";
        using SqliteDataReader reader = command.ExecuteReader();
        var tiers = new List<string>();
        long rows = 0;
        while (reader.Read())
        {
            long count = reader.GetInt64(1);
            rows += count;
            tiers.Add($"{reader.GetString(0)} {count:N0}");
        }

        return $"{rows:N0} rows ({string.Join(", ", tiers)})";
    }
}
