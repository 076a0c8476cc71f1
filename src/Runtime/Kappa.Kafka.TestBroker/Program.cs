using System.Globalization;
using Kappa.Kafka.Testing;

// kappa-test-broker: hosts librdkafka's mock Kafka cluster in its own process (for crash tests and for non-.NET clients).
// Prints the bootstrap servers as the first stdout line, then answers one command per stdin line with "ok" or "error: ...".
// Exits when stdin closes or on "quit". See docs/kafka.md.
int brokers = 3;
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--brokers" && i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out brokers) && brokers > 0)
    {
        i++;
    }
    else if (args[i] is "-h" or "--help")
    {
        Console.WriteLine("usage: kappa-test-broker [--brokers N]   (then commands on stdin; see docs/kafka.md)");
        return 0;
    }
    else
    {
        Console.Error.WriteLine($"kappa-test-broker: unexpected argument '{args[i]}'; usage: kappa-test-broker [--brokers N]");
        return 2;
    }
}

MockKafkaCluster cluster;
try
{
    cluster = new MockKafkaCluster(brokers);
}
catch (Exception ex)
{
    Console.Error.WriteLine($"kappa-test-broker: {ex.Message}");
    return 1;
}

using (cluster)
{
    Console.Out.WriteLine(cluster.Bootstrap);
    Console.Out.Flush();
    string? line;
    while ((line = Console.In.ReadLine()) is not null)
    {
        string answer = MockClusterCommands.Execute(cluster, line, out bool quit);
        Console.Out.WriteLine(answer);
        Console.Out.Flush();
        if (quit)
        {
            break;
        }
    }
}

return 0;
