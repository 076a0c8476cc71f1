namespace Kappa.Kafka.Tests;

/// <summary>Reading the brokers' supported APIs from librdkafka's <c>debug=feature</c> log lines (as librdkafka 2.16 writes them).</summary>
public sealed class KafkaApiSupportTests
{
    [Fact]
    public void A_brokers_list_counts_once_complete_and_its_bootstrap_and_id_names_are_one_broker()
    {
        var support = new KafkaApiSupport();
        support.Observe("APIVERSION", "[thrd:127.0.0.1:9092/bootstrap]: 127.0.0.1:9092/bootstrap: Broker API support:");
        support.Observe("APIVERSION", "[thrd:127.0.0.1:9092/bootstrap]: 127.0.0.1:9092/bootstrap:   ApiKey Metadata (3) Versions 0..13");
        support.Observe("APIVERSION", "[thrd:127.0.0.1:9092/bootstrap]: 127.0.0.1:9092/bootstrap:   ApiKey DeleteTopics (20) Versions 0..6");

        // Not complete yet: nothing is known.
        Assert.Empty(support.KnownBrokers);
        Assert.Empty(support.Lacking(KafkaApi.DeleteGroups));

        support.Observe("APIVERSION", "[thrd:127.0.0.1:9092/bootstrap]: 127.0.0.1:9092/bootstrap:  Feature MsgVer1: Produce (2..32767) supported by broker");
        Assert.Equal(["127.0.0.1:9092"], support.KnownBrokers);
        Assert.Equal(["127.0.0.1:9092"], support.Lacking(KafkaApi.DeleteGroups));
        Assert.Empty(support.Lacking(KafkaApi.DeleteTopics));

        // The same broker reconnecting under its id with a new answer replaces the list.
        support.Observe("APIVERSION", "[thrd:127.0.0.1:9092/1]: 127.0.0.1:9092/1: Broker API support:");
        support.Observe("APIVERSION", "[thrd:127.0.0.1:9092/1]: 127.0.0.1:9092/1:   ApiKey DeleteGroups (42) Versions 0..2");
        support.Observe("APIVERSION", "[thrd:127.0.0.1:9092/1]: 127.0.0.1:9092/1: Enabling feature MsgVer1");
        Assert.Equal(["127.0.0.1:9092"], support.KnownBrokers);
        Assert.Empty(support.Lacking(KafkaApi.DeleteGroups));
        Assert.Equal(["127.0.0.1:9092"], support.Lacking(KafkaApi.DeleteTopics));
    }

    [Fact]
    public void Other_facilities_and_lines_are_ignored()
    {
        var support = new KafkaApiSupport();
        support.Observe("FEATURE", "[thrd:b:1/bootstrap]: b:1/bootstrap: Broker API support:");
        support.Observe("APIVERSION", "[thrd:b:1/bootstrap]: b:1/bootstrap: ApiVersionRequest v3 failed due to UNSUPPORTED_VERSION: retrying with v0");
        support.Observe("APIVERSION", "[thrd:b:1/bootstrap]: b:1/bootstrap:   ApiKey Metadata (3) Versions 0..13");
        Assert.Empty(support.KnownBrokers);
    }
}
