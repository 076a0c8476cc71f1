using System.Globalization;
using Kappa.Hosting;
using Kappa.Log;
using Kappa.PostgreSql;
using Kappa.SinkHost;
using Kappa.SinkHost.Records;
using Kappa.Sinks;
using Kappa.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// kappa-sink-host: hosts two sink writers (ledger v1, append; positions v1, upsert) through KappaBuilder.AddSink on the
// embedded log, for the crash tests (tests/Kappa.Sinks.Tests/SinkCrashTests). Usage:
//   kappa-sink-host <log directory> sqlite <database file>
//   kappa-sink-host <log directory> postgres <connection string> <schema>
// Each batch holds its transaction open 10 ms before committing (PacedSinkDatabase), so kills land mid-transaction, and
// the whole workload takes a few seconds (at 3 ms it took about 1 s: a test thread scheduled 0.7 s late before each kill
// then killed only after the writers had finished, failing SinkCrashTests' "at least two kills mid-run").
// Prints "progress <batches> <lag>" lines (both writers summed) every 2 ms; "stop" on stdin stops it cleanly.
if (args.Length < 3)
{
    Console.Error.WriteLine("usage: kappa-sink-host <log directory> sqlite <file> | postgres <connection string> <schema>");
    return 2;
}

ISinkDatabase database = new PacedSinkDatabase(
    args[1] switch
    {
        "sqlite" => new SqliteSinkDatabase(args[2]),
        "postgres" => new PostgreSqlSinkDatabase(args[2], args[3]),
        _ => throw new ArgumentException($"Unknown database '{args[1]}'."),
    },
    TimeSpan.FromMilliseconds(10));

HostApplicationBuilder builder = Host.CreateApplicationBuilder();
builder.Logging.ClearProviders();
builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(Enum.Parse<LogLevel>(Environment.GetEnvironmentVariable("KAPPA_SINK_HOST_LOG") ?? "Warning"));
void Small(SinkWriterOptions o)
{
    o.MaxBatchRecords = 50;
    o.MaxBatchDelay = TimeSpan.FromMilliseconds(5);
    o.RetryDelay = TimeSpan.FromMilliseconds(50);
    o.LagInterval = TimeSpan.FromMilliseconds(10);
}

builder.Services.AddKappa(_ => new EmbeddedLogTransport(new EmbeddedLogOptions { Directory = args[0] }))
    .AddSink<LedgerEntry>("ledger", 1, _ => database, Small)
    .AddSink<Position>("positions", 1, _ => database, Small);
using IHost host = builder.Build();
host.Start();
var writers = host.Services.GetServices<IHostedService>().ToList();
Console.Out.WriteLine("ready");
using var stopping = new ManualResetEventSlim();
var stdin = new Thread(() =>
{
    while (Console.In.ReadLine() is { } line)
    {
        if (line.Trim() == "stop")
        {
            break;
        }
    }

    stopping.Set();
}) { IsBackground = true, Name = "stdin" };
stdin.Start();

while (!stopping.IsSet)
{
    long batches = 0, lag = 0;
    foreach (IHostedService service in writers)
    {
        switch (service)
        {
            case SinkWriterService<LedgerEntry> ledger:
                batches += ledger.Writer.CommittedBatches;
                lag += ledger.Writer.Lag < 0 ? 1 : ledger.Writer.Lag;
                break;
            case SinkWriterService<Position> positions:
                batches += positions.Writer.CommittedBatches;
                lag += positions.Writer.Lag < 0 ? 1 : positions.Writer.Lag;
                break;
        }
    }

    Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"progress {batches} {lag}"));
    stopping.Wait(2);
}

host.StopAsync().GetAwaiter().GetResult();
Console.Out.WriteLine("stopped");
return 0;
