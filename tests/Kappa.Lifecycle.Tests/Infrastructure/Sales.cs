using System.Text;
using Kappa.Avro;
using Kappa.Lifecycle.Tests.Model;
using Kappa.Transport;

namespace Kappa.Lifecycle.Tests.Infrastructure;

/// <summary>Produces sales of <c>customers</c> customers into the input topic <c>sales</c>, keyed by customer.</summary>
public static class Sales
{
    public const string Topic = "sales";

    public static void Produce(IKappaTransport transport, int from, int count, int customers = 50, int partitions = 3)
    {
        transport.EnsureTopics([new TopicSpec(Topic, partitions)]);
        using IKappaProducer producer = transport.CreateProducer(new ProducerSettings());
        for (int i = from; i < from + count; i++)
        {
            string customer = $"c{i % customers:D3}";
            byte[] value = AvroSerializer.SerializeToArray(new Sale(customer, i));
            producer.Produce(new OutgoingRecord(Topic, Encoding.ASCII.GetBytes(customer), value) { TimestampMs = 1_000 + i });
        }

        producer.Flush();
    }
}
