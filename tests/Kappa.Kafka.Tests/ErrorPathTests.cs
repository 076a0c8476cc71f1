using Kappa.Kafka.Testing;
using Kappa.Kafka.Tests.Infrastructure;
using Kappa.Transport;

namespace Kappa.Kafka.Tests;

public class ErrorPathTests
{
    [Fact]
    public void An_exception_in_OnAssigned_surfaces_from_TryConsume_on_the_consuming_thread()
    {
        using var mock = new MockKafkaCluster(1);
        mock.CreateTopic("handler", 1);
        using var transport = new KafkaTransport(mock.TransportOptions());
        using IKappaConsumer consumer = transport.CreateConsumer(new ConsumerSettings
        {
            GroupId = "handler",
            OnAssigned = _ => throw new InvalidOperationException("state store unavailable"),
        });
        consumer.Subscribe(["handler"]);

        KappaTransportException? thrown = null;
        long end = Environment.TickCount64 + 60_000;
        while (thrown is null && Environment.TickCount64 < end)
        {
            thrown = Record.Exception(() => consumer.TryConsume(TimeSpan.FromMilliseconds(100), out _)) as KappaTransportException;
        }

        Assert.NotNull(thrown);
        Assert.Contains("state store unavailable", thrown.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(thrown.InnerException);
    }

    [Fact]
    public void Creating_topics_on_a_broker_without_the_admin_api_fails_naming_the_topic()
    {
        using var mock = new MockKafkaCluster(1);
        // No TopicCreator: the transport uses CreateTopics, which the mock cluster does not implement.
        using var transport = new KafkaTransport(new KafkaTransportOptions { BootstrapServers = mock.Bootstrap, OperationTimeout = TimeSpan.FromSeconds(3) });
        var ex = Assert.Throws<KappaTransportException>(() => transport.EnsureTopics([new TopicSpec("needs-admin", 2)]));
        Assert.Contains("needs-admin", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_header_encoding_is_rejected_naming_the_topic()
    {
        using var mock = new MockKafkaCluster(1);
        using var transport = new KafkaTransport(mock.TransportOptions());
        using IKappaProducer producer = transport.CreateProducer(new ProducerSettings());
        var ex = Assert.Throws<ArgumentException>(() => producer.Produce(new OutgoingRecord("t", [1], [2]) { EncodedHeaders = new byte[] { 2, 20, 1 } }));
        Assert.Contains("'t'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("header", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Auto_commit_cannot_be_switched_on_and_empty_bootstrap_is_rejected()
    {
        using var mock = new MockKafkaCluster(1);
        using var transport = new KafkaTransport(mock.TransportOptions());
        var ex = Assert.Throws<ArgumentException>(() => transport.CreateConsumer(new ConsumerSettings
        {
            GroupId = "g",
            TransportProperties = new Dictionary<string, string> { ["enable.auto.commit"] = "true" },
        }));
        Assert.Contains("enable.auto.commit", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new KafkaTransport(new KafkaTransportOptions { BootstrapServers = " " }));
    }

    [Fact]
    public void Broker_command_protocol_answers_errors_for_bad_input()
    {
        using var mock = new MockKafkaCluster(1);
        Assert.Equal("ok", MockClusterCommands.Execute(mock, "topic a 2", out bool quit));
        Assert.False(quit);
        Assert.StartsWith("error: PARTITIONS must be an integer, not 'x'", MockClusterCommands.Execute(mock, "topic a x", out _), StringComparison.Ordinal);
        Assert.StartsWith("error: wrong number of arguments for 'leader'", MockClusterCommands.Execute(mock, "leader a 0", out _), StringComparison.Ordinal);
        Assert.Equal("error: empty command", MockClusterCommands.Execute(mock, "   ", out _));
        Assert.Equal("ok", MockClusterCommands.Execute(mock, "errors 0 6,0,7", out _));
        Assert.Equal("ok", MockClusterCommands.Execute(mock, "clear 0", out _));
        Assert.Equal("ok", MockClusterCommands.Execute(mock, "quit", out quit));
        Assert.True(quit);
    }
}
