using Kappa.Transport;

namespace Kappa.Kafka.Tests;

public class KafkaConfigTests
{
    private static readonly KafkaTransportOptions Options = new()
    {
        BootstrapServers = "b1:9092,b2:9092",
        Properties = new Dictionary<string, string> { ["socket.timeout.ms"] = "1234", ["linger.ms"] = "7", ["bootstrap.servers"] = "ignored:1" },
    };

    [Fact]
    public void Consumer_config_disables_auto_commit_and_maps_the_start_position()
    {
        Dictionary<string, string> earliest = KafkaConfig.Consumer(Options, "grp", "cid", StartPosition.Earliest, null);
        Dictionary<string, string> latest = KafkaConfig.Consumer(Options, "grp", null, StartPosition.Latest, new Dictionary<string, string> { ["socket.timeout.ms"] = "99" });

        Assert.Equal("b1:9092,b2:9092", earliest["bootstrap.servers"]);
        Assert.Equal(("grp", "cid"), (earliest["group.id"], earliest["client.id"]));
        Assert.Equal(("false", "false"), (earliest["enable.auto.commit"], earliest["enable.auto.offset.store"]));
        Assert.Equal("earliest", earliest["auto.offset.reset"]);
        Assert.Equal("latest", latest["auto.offset.reset"]);
        Assert.Equal("1234", earliest["socket.timeout.ms"]);
        Assert.Equal("99", latest["socket.timeout.ms"]);
        Assert.False(latest.ContainsKey("client.id"));
    }

    [Fact]
    public void Producer_config_is_idempotent_with_java_compatible_partitioning_and_user_overrides_on_top()
    {
        Dictionary<string, string> config = KafkaConfig.Producer(Options, null, new Dictionary<string, string> { ["linger.ms"] = "0" });

        Assert.Equal("true", config["enable.idempotence"]);
        Assert.Equal("murmur2_random", config["partitioner"]);
        Assert.Equal("0", config["linger.ms"]);
        Assert.Equal("1234", config["socket.timeout.ms"]);
        Assert.Equal("b1:9092,b2:9092", config["bootstrap.servers"]);
    }
}
