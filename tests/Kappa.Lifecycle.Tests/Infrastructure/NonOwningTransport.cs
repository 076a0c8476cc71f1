using Kappa.Transport;

namespace Kappa.Lifecycle.Tests.Infrastructure;

/// <summary>Hands a test's transport to a host without letting the host dispose it (the test checks the log afterwards).</summary>
public sealed class NonOwningTransport(IKappaTransport inner) : IKappaTransport
{
    public string Description => inner.Description;

    public void EnsureTopics(IReadOnlyCollection<TopicSpec> topics) => inner.EnsureTopics(topics);

    public int? GetPartitionCount(string topic) => inner.GetPartitionCount(topic);

    public WatermarkOffsets GetWatermarks(TopicPartition partition) => inner.GetWatermarks(partition);

    public IKappaConsumer CreateConsumer(ConsumerSettings settings) => inner.CreateConsumer(settings);

    public IKappaProducer CreateProducer(ProducerSettings settings) => inner.CreateProducer(settings);

    public ITransactionalProducer CreateTransactionalProducer(ProducerSettings settings, string transactionalId) => inner.CreateTransactionalProducer(settings, transactionalId);

    public IReadOnlyCollection<string> ListTopics() => inner.ListTopics();

    public void DeleteTopics(IReadOnlyCollection<string> topics) => inner.DeleteTopics(topics);

    public IReadOnlyCollection<string> ListConsumerGroups() => inner.ListConsumerGroups();

    public void DeleteConsumerGroup(string group) => inner.DeleteConsumerGroup(group);

    public void Dispose()
    {
    }
}
