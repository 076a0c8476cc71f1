using Kappa.CrashHost;
using Kappa.Kafka;
using Kappa.Log;
using Kappa.Transport;

// kappa-crash-host: runs the running-totals processor (RunningTotalsProcessor) on the embedded log or on Kafka until
// told to stop ("stop" on stdin) or, with --until-caught-up, until every input partition is committed to its end.
// Progress lines on stdout (ready, assigned, restored, committed, caught-up, stopped); errors on stderr, exit code 1.
HostArguments parsed;
try
{
    parsed = HostArguments.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine("error: " + e.Message);
    Console.Error.WriteLine("usage: kappa-crash-host (--log DIR | --kafka BOOTSTRAP [--mock-broker]) [--input T] [--output T] [--changelog T] [--group G] [--transactional-id ID] [--delivery exactly-once|at-least-once] [--batch N] [--until-caught-up] [--max-seconds S]");
    return 2;
}

using var cancel = new CancellationTokenSource();
var stdin = new Thread(() =>
{
    string? line;
    while ((line = Console.In.ReadLine()) is not null)
    {
        if (line.Trim() == "stop")
        {
            cancel.Cancel();
            return;
        }
    }
}) { IsBackground = true, Name = "stdin" };
stdin.Start();

try
{
    using IKappaTransport transport = parsed.LogDirectory is not null
        ? new EmbeddedLogTransport(new EmbeddedLogOptions { Directory = parsed.LogDirectory, MaintenanceInterval = null })
        : new KafkaTransport(new KafkaTransportOptions
        {
            BootstrapServers = parsed.KafkaBootstrap!,
            EmulateTransactionalOffsetCommit = parsed.MockBroker,
        });
    using var processor = new RunningTotalsProcessor(transport, parsed, Console.Out);
    processor.Run(cancel.Token);
    return 0;
}
catch (Exception e)
{
    Console.Error.WriteLine("error: " + e);
    Console.Out.WriteLine("failed " + e.GetType().Name + ": " + e.Message.ReplaceLineEndings(" "));
    return 1;
}
