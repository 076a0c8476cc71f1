using Kappa.Kafka.Testing;
using Kappa.Tests.KafkaWire;
using Kappa.Transport;

namespace Kappa.Kafka.Tests;

/// <summary>
/// KafkaTransport's admin operations (ListTopics, DeleteTopics, ListConsumerGroups, DeleteConsumerGroup) through the
/// real Confluent.Kafka / librdkafka admin client, at the wire, against <see cref="WireTestBroker"/> (a Kafka-protocol
/// broker written for these tests), including the brokers' error answers and brokers that lack an API.
/// </summary>
public sealed class AdminWireTests
{
    [Fact]
    public void DeleteTopics_deletes_exactly_the_named_topics_and_ignores_missing_ones()
    {
        using var broker = Seeded();
        using var transport = Connect(broker);

        Assert.Equal(["keep", "keep.dlq", "old", "old.dlq"], transport.ListTopics());
        transport.DeleteTopics(["old", "old.dlq", "never-existed"]);

        Assert.Equal(["keep", "keep.dlq"], transport.ListTopics());
        Assert.Equal(["keep", "keep.dlq"], broker.Topics);
        WireRequest delete = Assert.Single(broker.Requests, r => r.ApiKey == WireTestBroker.DeleteTopics);
        Assert.Equal(1, delete.Broker); // the controller

        // Nothing left to delete: no request at all.
        transport.DeleteTopics(["old", "never-existed"]);
        Assert.Single(broker.Requests, r => r.ApiKey == WireTestBroker.DeleteTopics);
    }

    [Fact]
    public void ListConsumerGroups_and_DeleteConsumerGroup_delete_exactly_the_named_group()
    {
        using var broker = Seeded();
        using var transport = Connect(broker);

        Assert.Equal(["g-keep", "g-old"], transport.ListConsumerGroups());
        transport.DeleteConsumerGroup("g-old");
        Assert.Equal(["g-keep"], transport.ListConsumerGroups());
        Assert.Equal(["g-keep"], broker.Groups);

        // A group that does not exist (GROUP_ID_NOT_FOUND) is already deleted: no error.
        transport.DeleteConsumerGroup("never-existed");
        Assert.Equal(2, broker.Requests.Count(r => r.ApiKey == WireTestBroker.DeleteGroups));
        Assert.Contains(broker.Requests, r => r.ApiKey == WireTestBroker.DescribeGroups);
    }

    [Fact]
    public void A_group_with_live_members_is_refused_and_kept()
    {
        using var broker = Seeded();
        broker.AddGroup("g-live", members: 2);
        using var transport = Connect(broker);

        var error = Assert.Throws<KappaTransportException>(() => transport.DeleteConsumerGroup("g-live"));

        Assert.Contains("'g-live' has live members", error.Message, StringComparison.Ordinal);
        Assert.Contains("It was not deleted", error.Message, StringComparison.Ordinal);
        Assert.Contains("g-live", transport.ListConsumerGroups());
    }

    [Fact]
    public void A_refused_group_deletion_names_the_group_and_the_broker_error()
    {
        using var broker = Seeded();
        broker.FailGroupDeletion("g-old", WireTestBroker.GroupAuthorizationFailed);
        using var transport = Connect(broker);

        var error = Assert.Throws<KappaTransportException>(() => transport.DeleteConsumerGroup("g-old"));

        Assert.Contains("delete consumer group 'g-old'", error.Message, StringComparison.Ordinal);
        Assert.Contains("GroupAuthorizationFailed", error.Message, StringComparison.Ordinal);
        Assert.Equal(["g-keep", "g-old"], broker.Groups);
    }

    [Fact]
    public void A_refused_topic_deletion_names_the_topic_its_error_and_what_was_deleted()
    {
        using var broker = Seeded();
        broker.FailTopicDeletion("old.dlq", WireTestBroker.TopicAuthorizationFailed);
        using var transport = Connect(broker);

        var error = Assert.Throws<KappaTransportException>(() => transport.DeleteTopics(["old", "old.dlq"]));

        Assert.Contains("'old.dlq': ", error.Message, StringComparison.Ordinal);
        Assert.Contains("TopicAuthorizationFailed", error.Message, StringComparison.Ordinal);
        Assert.Contains("Deleted: 'old'", error.Message, StringComparison.Ordinal);
        Assert.Equal(["keep", "keep.dlq", "old.dlq"], broker.Topics);
    }

    [Theory]
    [InlineData(WireTestBroker.DeleteGroups, "DeleteGroups (ApiKey 42)")]
    [InlineData(WireTestBroker.DeleteTopics, "DeleteTopics (ApiKey 20)")]
    [InlineData(WireTestBroker.ListGroups, "ListGroups (ApiKey 16)")]
    public void A_broker_without_the_api_is_refused_before_anything_is_sent(short apiKey, string api)
    {
        using var broker = Seeded();
        broker.RemoveApi(1, apiKey);
        var transport = Connect(broker);

        var error = Assert.Throws<KafkaUnsupportedApiException>(() => Run(transport, apiKey));

        Assert.Contains($"the broker {broker.Address(1)} does not support {api}; nothing was sent", error.Message, StringComparison.Ordinal);
        Assert.Equal(apiKey, error.Api.Key);
        Assert.Equal([broker.Address(1)], error.Brokers);
        Assert.DoesNotContain(broker.Requests, r => r.ApiKey == apiKey);
        Assert.Equal(["keep", "keep.dlq", "old", "old.dlq"], broker.Topics);
        Assert.Equal(["g-keep", "g-old"], broker.Groups);

        // The other admin operations still work, and disposing the transport does not take the process down.
        Assert.Equal(["keep", "keep.dlq", "old", "old.dlq"], transport.ListTopics());
        transport.Dispose();
    }

    [Fact]
    public void A_coordinator_without_DeleteGroups_is_reported_and_the_refused_client_is_never_destroyed()
    {
        // Broker 1 (the bootstrap, whose APIs the transport checks first) has DeleteGroups; the group's coordinator,
        // broker 2, does not, and is not in the metadata, so nothing connected to it before FindCoordinator named it:
        // librdkafka finds out itself and refuses the request as unsupported, the path on which librdkafka 2.16 aborts
        // the process when the admin client is destroyed later.
        using var broker = Seeded(brokers: 2);
        broker.SetCoordinator(2);
        broker.HideFromMetadata(2);
        broker.RemoveApi(2, WireTestBroker.DeleteGroups);
        var transport = new KafkaTransport(new KafkaTransportOptions { BootstrapServers = broker.Address(1), OperationTimeout = TimeSpan.FromSeconds(20) });
        int retainedBefore = KafkaAdmin.RetainedCount;

        var error = Assert.Throws<KafkaUnsupportedApiException>(() => transport.DeleteConsumerGroup("g-old"));

        Assert.Contains("does not support DeleteGroups (ApiKey 42)", error.Message, StringComparison.Ordinal);
        Assert.Contains(broker.Address(2), error.Brokers);
        Assert.Equal(retainedBefore + 1, KafkaAdmin.RetainedCount);
        Assert.DoesNotContain(broker.Requests, r => r.ApiKey == WireTestBroker.DeleteGroups);

        // Known now: refused again without a request or another retained client; the transport keeps working.
        var again = Assert.Throws<KafkaUnsupportedApiException>(() => transport.DeleteConsumerGroup("g-old"));
        Assert.Contains("nothing was sent", again.Message, StringComparison.Ordinal);
        Assert.Equal(retainedBefore + 1, KafkaAdmin.RetainedCount);
        Assert.Equal(["keep", "keep.dlq", "old", "old.dlq"], transport.ListTopics());
        transport.Dispose();
        Assert.Equal(["g-keep", "g-old"], broker.Groups);
    }

    [Fact]
    public void On_the_librdkafka_mock_cluster_every_admin_deletion_is_refused_clearly_and_the_transport_disposes_cleanly()
    {
        using var mock = new MockKafkaCluster(1);
        mock.CreateTopic("old", 1);
        var transport = new KafkaTransport(new KafkaTransportOptions { BootstrapServers = mock.Bootstrap, OperationTimeout = TimeSpan.FromSeconds(20) });

        Assert.Contains("DeleteGroups (ApiKey 42)", Assert.Throws<KafkaUnsupportedApiException>(() => transport.DeleteConsumerGroup("g")).Message, StringComparison.Ordinal);
        Assert.Contains("DeleteTopics (ApiKey 20)", Assert.Throws<KafkaUnsupportedApiException>(() => transport.DeleteTopics(["old"])).Message, StringComparison.Ordinal);
        Assert.Contains("ListGroups (ApiKey 16)", Assert.Throws<KafkaUnsupportedApiException>(() => transport.ListConsumerGroups()).Message, StringComparison.Ordinal);
        Assert.Contains("old", transport.ListTopics());
        transport.Dispose();
    }

    private static void Run(KafkaTransport transport, short apiKey)
    {
        switch (apiKey)
        {
            case WireTestBroker.DeleteGroups:
                transport.DeleteConsumerGroup("g-old");
                break;
            case WireTestBroker.DeleteTopics:
                transport.DeleteTopics(["old"]);
                break;
            default:
                transport.ListConsumerGroups();
                break;
        }
    }

    private static WireTestBroker Seeded(int brokers = 1)
    {
        var broker = new WireTestBroker(brokers);
        broker.AddTopic("keep", 2);
        broker.AddTopic("keep.dlq", 1);
        broker.AddTopic("old", 2);
        broker.AddTopic("old.dlq", 1);
        broker.AddGroup("g-keep");
        broker.AddGroup("g-old");
        return broker;
    }

    private static KafkaTransport Connect(WireTestBroker broker) =>
        new(new KafkaTransportOptions { BootstrapServers = broker.Bootstrap, OperationTimeout = TimeSpan.FromSeconds(20) });
}
