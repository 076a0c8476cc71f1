using System.Globalization;
using Kappa.Kafka.Native;

namespace Kappa.Kafka.Testing;

/// <summary>
/// The text protocol of the <c>kappa-test-broker</c> process: one command per line, answered with <c>ok</c> or
/// <c>error: ...</c>. Commands: <c>topic NAME PARTITIONS [REPLICATION]</c>, <c>down BROKERID</c>, <c>up BROKERID</c>,
/// <c>errors APIKEY CODE[,CODE...]</c>, <c>clear APIKEY</c>, <c>leader TOPIC PARTITION BROKERID</c>,
/// <c>coordinator group|transaction KEY BROKERID</c>, <c>bootstrap</c>, <c>native</c> (the librdkafka file loaded, then
/// every librdkafka file the process maps, tab-separated), <c>ping</c>, <c>quit</c>.
/// </summary>
public static class MockClusterCommands
{
    /// <summary>Runs one command line on the cluster and returns the answer line; sets <paramref name="quit"/> on <c>quit</c>.</summary>
    public static string Execute(MockKafkaCluster cluster, string line, out bool quit)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        quit = false;
        string[] words = (line ?? string.Empty).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            return "error: empty command";
        }

        try
        {
            switch (words[0])
            {
                case "quit":
                    quit = true;
                    return "ok";
                case "ping":
                    return "ok";
                case "bootstrap":
                    return "ok " + cluster.Bootstrap;
                case "native":
                    return "ok " + string.Join('\t', [NativeLibraryLoader.LoadedFrom ?? "(not loaded)", .. LoadedLibraryLocator.MappedLibrdkafkaFiles()]);
                case "topic" when words.Length is 3 or 4:
                    cluster.CreateTopic(words[1], Int(words[2], "PARTITIONS"), words.Length == 4 ? Int(words[3], "REPLICATION") : 1);
                    return "ok";
                case "down" when words.Length == 2:
                    cluster.BrokerDown(Int(words[1], "BROKERID"));
                    return "ok";
                case "up" when words.Length == 2:
                    cluster.BrokerUp(Int(words[1], "BROKERID"));
                    return "ok";
                case "errors" when words.Length == 3:
                    cluster.PushRequestErrors(checked((short)Int(words[1], "APIKEY")), words[2].Split(',').Select(c => Int(c, "CODE")).ToArray());
                    return "ok";
                case "clear" when words.Length == 2:
                    cluster.ClearRequestErrors(checked((short)Int(words[1], "APIKEY")));
                    return "ok";
                case "leader" when words.Length == 4:
                    cluster.SetPartitionLeader(words[1], Int(words[2], "PARTITION"), Int(words[3], "BROKERID"));
                    return "ok";
                case "coordinator" when words.Length == 4:
                    cluster.SetCoordinator(words[1], words[2], Int(words[3], "BROKERID"));
                    return "ok";
                case "topic" or "down" or "up" or "errors" or "clear" or "leader" or "coordinator":
                    return $"error: wrong number of arguments for '{words[0]}' in \"{line}\"; usage: {Usage(words[0])}";
                default:
                    return $"error: unknown command '{words[0]}'; commands: topic, down, up, errors, clear, leader, coordinator, bootstrap, native, ping, quit";
            }
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException or KafkaMockClusterException)
        {
            return "error: " + ex.Message.ReplaceLineEndings(" ");
        }
    }

    private static string Usage(string command) => command switch
    {
        "topic" => "topic NAME PARTITIONS [REPLICATION]",
        "down" => "down BROKERID",
        "up" => "up BROKERID",
        "errors" => "errors APIKEY CODE[,CODE...]",
        "clear" => "clear APIKEY",
        "leader" => "leader TOPIC PARTITION BROKERID",
        _ => "coordinator group|transaction KEY BROKERID",
    };

    private static int Int(string text, string what) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw new FormatException($"{what} must be an integer, not '{text}'");
}
