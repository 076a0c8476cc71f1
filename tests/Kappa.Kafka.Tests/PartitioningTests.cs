using System.Globalization;
using Kappa.Kafka.Tests.Infrastructure;
using Kappa.Transport;

namespace Kappa.Kafka.Tests;

public class PartitioningTests
{
    [Fact]
    public void Keyed_records_land_on_the_partition_javas_murmur2_partitioner_picks()
    {
        const int partitions = 7;
        using TestCluster cluster = TestCluster.Create(1);
        string topic = cluster.NewTopic("murmur", partitions);
        string[] keys = Enumerable.Range(0, 60).Select(i => i switch
        {
            0 => string.Empty,
            1 => "ü-non-ascii-κλειδί",
            2 => new string('x', 300),
            _ => "order-" + (i * 7919).ToString(CultureInfo.InvariantCulture),
        }).ToArray();

        using (IKappaProducer producer = cluster.Transport.CreateProducer(new ProducerSettings()))
        {
            foreach (string key in keys)
            {
                Consume.Produce(producer, topic, key, "v");
            }

            producer.Flush();
        }

        using IKappaConsumer consumer = cluster.Transport.CreateConsumer(new ConsumerSettings { GroupId = "murmur" });
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, 0)).ToList());
        Dictionary<string, int> actual = Consume.Exactly(consumer, keys.Length).ToDictionary(r => r.KeyText!, r => r.Partition);

        // Expected partitions computed independently by kafka-python's port of Java's DefaultPartitioner.
        string script = """
            import sys
            from kafka.partitioner.default import murmur2
            n = int(sys.argv[1])
            for line in sys.stdin.buffer.read().decode('utf-8').split('\n'):
                if line == '<end>': break
                key = bytes.fromhex(line)
                print((murmur2(key) & 0x7fffffff) % n)
            """;
        string input = string.Join('\n', keys.Select(k => Convert.ToHexString(System.Text.Encoding.UTF8.GetBytes(k)))) + "\n<end>\n";
        int[] expected = External.Run(External.Python, ["-c", script, partitions.ToString(CultureInfo.InvariantCulture)], input)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray();

        Assert.Equal(keys.Length, expected.Length);
        Assert.Equal(keys.Select((k, i) => (k, expected[i])), keys.Select(k => (k, actual[k])));
        Assert.True(expected.Distinct().Count() > 3, "the keys spread over several partitions, so the check is meaningful");
    }
}
