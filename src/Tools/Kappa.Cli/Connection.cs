using Kappa.Kafka;
using Kappa.Log;
using Kappa.PostgreSql;
using Kappa.Sinks;
using Kappa.Sqlite;
using Kappa.Transport;

namespace Kappa.Cli;

/// <summary>What the tool connects to: a log (embedded log directory or Kafka) and, optionally, the serving database.</summary>
internal sealed class Connection : IDisposable
{
    private Connection(IKappaTransport transport, ISinkDatabase? database)
    {
        Transport = transport;
        Database = database;
    }

    public IKappaTransport Transport { get; }

    public ISinkDatabase? Database { get; }

    public static Connection Open(string? log, string? kafka, string? sqlite, string? postgres, string? schema)
    {
        if ((log is null) == (kafka is null))
        {
            throw new ArgumentException("Give exactly one of --log <directory> (an embedded log) or --kafka <bootstrap servers>.");
        }

        if (sqlite is not null && postgres is not null)
        {
            throw new ArgumentException("Give at most one of --sqlite <file> or --postgres <connection string>.");
        }

        if (log is not null && !Directory.Exists(log))
        {
            throw new ArgumentException($"The embedded log directory '{log}' does not exist.");
        }

        if (sqlite is not null && !File.Exists(sqlite))
        {
            throw new ArgumentException($"The SQLite database '{sqlite}' does not exist.");
        }

        IKappaTransport transport = log is not null
            ? new EmbeddedLogTransport(new EmbeddedLogOptions { Directory = log })
            : new KafkaTransport(new KafkaTransportOptions { BootstrapServers = kafka!, OperationTimeout = TimeSpan.FromSeconds(10) });
        ISinkDatabase? database = sqlite is not null ? new SqliteSinkDatabase(sqlite)
            : postgres is not null ? new PostgreSqlSinkDatabase(postgres, schema ?? "public")
            : null;
        return new Connection(transport, database);
    }

    public void Dispose() => Transport.Dispose();
}
