using Kappa.CrashHost;
using Kappa.Kafka;
using Kappa.Log;
using Kappa.Transport;

// kappa-crash-host: runs the stateful running-totals processor (CrashTotals, on the framework's ProcessorRunner) on the
// embedded log or on Kafka until told to stop ("stop" on stdin) or, with --until-caught-up, until the group's committed
// offsets reach the end of every input partition. Progress lines on stdout (ready, assigned, revoked, restored,
// committed, recover, caught-up, stopped); errors on stderr and exit code 1. See docs/resilience.md.
HostArguments parsed;
try
{
    parsed = HostArguments.Parse(args);
    Pacing.Configure(parsed.PaceMs);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine("error: " + e.Message);
    Console.Error.WriteLine("usage: kappa-crash-host (--log DIR | --kafka BOOTSTRAP [--mock-broker]) [--prefix P] [--instance ID] [--delivery exactly-once|at-least-once] [--batch N] [--until-caught-up] [--pace-ms N] [--max-seconds S]");
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
            Properties = RdKafkaDebug.Properties(),
            Log = RdKafkaDebug.Log,
            // The mock has no CreateTopics/DescribeConfigs: the tests create every topic; this only checks partition counts.
            TopicCreator = parsed.MockBroker
                ? spec => throw new InvalidOperationException($"Topic '{spec.Name}' is missing on the mock cluster; the test creates all topics before starting the host.")
                : null,
        });
    FrameworkHost.Run(transport, parsed, Console.Out, cancel.Token);

    return 0;
}
catch (Exception e)
{
    Console.Error.WriteLine("error: " + e);
    Console.Out.WriteLine("failed " + e.GetType().Name + ": " + e.Message.ReplaceLineEndings(" "));
    return 1;
}
