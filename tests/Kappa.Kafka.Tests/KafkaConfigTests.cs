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

    [Fact]
    public void Consumer_isolation_level_follows_ReadCommitted_and_a_contradicting_property_is_rejected()
    {
        Assert.Equal("read_committed", KafkaConfig.Consumer(Options, "grp", null, StartPosition.Earliest, null)["isolation.level"]);
        Assert.Equal("read_committed", KafkaConfig.Consumer(Options, "grp", null, StartPosition.Earliest, null, readCommitted: true)["isolation.level"]);
        Assert.Equal("read_uncommitted", KafkaConfig.Consumer(Options, "grp", null, StartPosition.Earliest, null, readCommitted: false)["isolation.level"]);
        Assert.Equal(
            "read_committed",
            KafkaConfig.Consumer(Options, "grp", null, StartPosition.Earliest, new Dictionary<string, string> { ["isolation.level"] = "read_committed" })["isolation.level"]);

        var ex = Assert.Throws<ArgumentException>(() =>
            KafkaConfig.Consumer(Options, "grp", null, StartPosition.Earliest, new Dictionary<string, string> { ["isolation.level"] = "read_uncommitted" }));
        Assert.Contains("ReadCommitted", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Consumer_end_of_partition_events_are_on_and_turning_them_off_is_rejected()
    {
        Assert.Equal("true", KafkaConfig.Consumer(Options, "grp", null, StartPosition.Earliest, null)["enable.partition.eof"]);
        var ex = Assert.Throws<ArgumentException>(() =>
            KafkaConfig.Consumer(Options, "grp", null, StartPosition.Earliest, new Dictionary<string, string> { ["enable.partition.eof"] = "false" }));
        Assert.Contains("enable.partition.eof", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConsumerSettings_read_committed_by_default()
    {
        Assert.True(new ConsumerSettings { GroupId = "g" }.ReadCommitted);
    }

    [Fact]
    public void Transactional_producer_config_adds_the_transactional_id_to_the_plain_producer_settings()
    {
        Dictionary<string, string> plain = KafkaConfig.Producer(Options, "cid", new Dictionary<string, string> { ["linger.ms"] = "0" });
        Dictionary<string, string> config = KafkaConfig.TransactionalProducer(Options, "cid", "grp.3", new Dictionary<string, string> { ["linger.ms"] = "0" });

        Assert.Equal("grp.3", config["transactional.id"]);
        Assert.Equal(plain, config.Where(p => p.Key != "transactional.id").ToDictionary());
        Assert.Equal(("true", "murmur2_random"), (config["enable.idempotence"], config["partitioner"]));

        var idempotence = Assert.Throws<ArgumentException>(() =>
            KafkaConfig.TransactionalProducer(Options, null, "grp.3", new Dictionary<string, string> { ["enable.idempotence"] = "false" }));
        Assert.Contains("grp.3", idempotence.Message, StringComparison.Ordinal);
        var id = Assert.Throws<ArgumentException>(() =>
            KafkaConfig.TransactionalProducer(Options, null, "grp.3", new Dictionary<string, string> { ["transactional.id"] = "x" }));
        Assert.Contains("'x'", id.Message, StringComparison.Ordinal);
    }
}
