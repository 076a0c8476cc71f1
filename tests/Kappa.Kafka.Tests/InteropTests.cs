using System.Text;
using Kappa.Kafka.Tests.Infrastructure;
using Kappa.Transport;

namespace Kappa.Kafka.Tests;

/// <summary>Independent clients (kcat on librdkafka, kafka-python: its own protocol implementation) read what we write and we read what they write.</summary>
public class InteropTests
{
    [Fact]
    public void We_read_what_kcat_produced()
    {
        using TestCluster cluster = TestCluster.Create(1);
        string topic = cluster.NewTopic("kcat-in", 1);
        External.Run("kcat", ["-P", "-b", cluster.Bootstrap, "-t", topic, "-p", "0", "-K", "|", "-H", "source=kcat", "-H", "lang=ünï"],
            "alpha|first\nbeta|second value\n|no key\n");

        using IKappaConsumer consumer = cluster.Transport.CreateConsumer(new ConsumerSettings { GroupId = "kcat-in" });
        consumer.Assign([new TopicPartitionOffset(topic, 0, 0)]);
        List<Received> got = Consume.Exactly(consumer, 3);

        Assert.Equal(["alpha", "beta", string.Empty], got.Select(r => r.KeyText));
        Assert.Equal(["first", "second value", "no key"], got.Select(r => r.ValueText));
        Assert.All(got, r => Assert.Equal(
            [("source", "kcat"), ("lang", "ünï")],
            r.Headers.Select(h => (h.Key, Encoding.UTF8.GetString(h.Value!)))));
        Assert.All(got, r => Assert.True(r.TimestampMs > 1_600_000_000_000, "kcat stamps records with the current time"));
    }

    [Fact]
    public void Kcat_reads_what_we_produced()
    {
        using TestCluster cluster = TestCluster.Create(1);
        string topic = cluster.NewTopic("kcat-out", 1);
        using (IKappaProducer producer = cluster.Transport.CreateProducer(new ProducerSettings()))
        {
            Consume.Produce(producer, topic, "k1", "hello", partition: 0, timestampMs: 1_234_567, headers: new RecordHeadersWriter().Add("h", "x"));
            Consume.Produce(producer, topic, "k2", "wörld", partition: 0, timestampMs: 1_234_568);
            Consume.Produce(producer, topic, "k3", null, partition: 0, timestampMs: 1_234_569);
            producer.Flush();
        }

        string output = External.Run("kcat", ["-C", "-b", cluster.Bootstrap, "-t", topic, "-p", "0", "-o", "beginning", "-e", "-Z", "-f", "%k|%s|%T|%h\n"]);
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // -Z prints NULL for the tombstone's null value; %h is empty without headers.
        Assert.Equal(["k1|hello|1234567|h=x", "k2|wörld|1234568|", "k3|NULL|1234569|"], lines);
    }

    [Fact]
    public void Kafka_python_reads_what_we_produced_and_we_read_what_it_produced()
    {
        using TestCluster cluster = TestCluster.Create(1);
        string topic = cluster.NewTopic("kpy", 1);
        using (IKappaProducer producer = cluster.Transport.CreateProducer(new ProducerSettings()))
        {
            Consume.Produce(producer, topic, "ours", "from kappa", partition: 0, timestampMs: 42_000, headers: new RecordHeadersWriter().Add("n", (string?)null).Add("b", [0, 255]));
            producer.Flush();
        }

        string script = """
            import sys
            from kafka import KafkaConsumer, KafkaProducer, TopicPartition
            bootstrap, topic = sys.argv[1], sys.argv[2]
            c = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, consumer_timeout_ms=60000, api_version=(2, 5, 0))
            tp = TopicPartition(topic, 0)
            c.assign([tp]); c.seek(tp, 0)
            m = next(iter(c))
            print(m.key.decode(), m.value.decode(), m.timestamp, [(k, None if v is None else v.hex()) for k, v in m.headers], sep='|')
            c.close()
            p = KafkaProducer(bootstrap_servers=bootstrap, api_version=(2, 5, 0))
            p.send(topic, key=b'theirs', value=b'from python', partition=0, timestamp_ms=77000, headers=[('x', b'1'), ('y', b'')]).get(timeout=20)
            p.send(topic, key=b'tomb', value=None, partition=0, timestamp_ms=78000).get(timeout=20)
            p.flush(); p.close()
            """;
        string output = External.PythonScript(script, cluster.Bootstrap, topic);
        Assert.Equal("ours|from kappa|42000|[('n', None), ('b', '00ff')]", output.Trim());

        using IKappaConsumer consumer = cluster.Transport.CreateConsumer(new ConsumerSettings { GroupId = "kpy" });
        consumer.Assign([new TopicPartitionOffset(topic, 0, 1)]);
        List<Received> got = Consume.Exactly(consumer, 2);
        Assert.Equal(("theirs", "from python", 77000L), (got[0].KeyText, got[0].ValueText, got[0].TimestampMs));
        Assert.Equal([("x", "1"), ("y", "")], got[0].Headers.Select(h => (h.Key, Encoding.UTF8.GetString(h.Value!))));
        Assert.Equal(("tomb", (string?)null, 78000L), (got[1].KeyText, got[1].ValueText, got[1].TimestampMs));
    }
}
