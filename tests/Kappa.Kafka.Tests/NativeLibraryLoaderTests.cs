using Kappa.Kafka.Native;
using Kappa.Kafka.Testing;
using Kappa.Kafka.Tests.Infrastructure;
using Kappa.Transport;

namespace Kappa.Kafka.Tests;

public class NativeLibraryLoaderTests
{
    [Fact]
    public void Kappa_binds_to_the_librdkafka_confluent_loaded_and_the_process_maps_no_second_copy()
    {
        Parallel.For(0, 8, _ => NativeLibraryLoader.EnsureLoaded());

        // Exercise both sides: Confluent's functions (producer, consumer group) and Kappa's own imports (mock cluster,
        // rd_kafka_consumer_poll on the consumer's handle).
        using (var cluster = new MockKafkaCluster(1))
        using (var transport = new KafkaTransport(cluster.TransportOptions()))
        {
            transport.EnsureTopics([new TopicSpec("native-one", 1)]);
            using (IKappaProducer producer = transport.CreateProducer(new ProducerSettings()))
            {
                Consume.Produce(producer, "native-one", "k", "v");
                producer.Flush();
            }

            using IKappaConsumer consumer = transport.CreateConsumer(new ConsumerSettings { GroupId = "native-one" });
            consumer.Assign([new TopicPartitionOffset("native-one", 0, 0)]);
            Assert.Equal("v", Assert.Single(Consume.Exactly(consumer, 1)).ValueText);
        }

        string loadedFrom = Assert.IsType<string>(NativeLibraryLoader.LoadedFrom);
        // The same string constant at the same address: Kappa's imports and Confluent's resolve into one loaded library.
        Assert.Equal(NativeLibraryLoader.ConfluentDebugContextsAddress(), LibRdKafka.DebugContexts());
        Assert.Equal(Confluent.Kafka.Library.VersionString, LibRdKafka.Version());
        Assert.StartsWith("2.16.", LibRdKafka.Version(), StringComparison.Ordinal);
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(NativeLibraryLoader.PathVariable)))
        {
            // From librdkafka.redist next to the tests, not from the OS.
            Assert.StartsWith(Path.Combine(AppContext.BaseDirectory, "runtimes"), loadedFrom, StringComparison.Ordinal);
        }

        if (OperatingSystem.IsLinux())
        {
            Assert.Equal([loadedFrom], LoadedLibraryLocator.MappedLibrdkafkaFiles());
        }
    }

    [Fact]
    public void The_broker_process_maps_exactly_the_librdkafka_this_process_loaded()
    {
        NativeLibraryLoader.EnsureLoaded();
        using var broker = new ExternalMockKafkaCluster(brokers: 1);

        (string loadedFrom, IReadOnlyList<string> mapped) = broker.NativeLibrary();

        Assert.Equal(NativeLibraryLoader.LoadedFrom, loadedFrom);
        if (OperatingSystem.IsLinux())
        {
            Assert.Equal([loadedFrom], mapped);
        }
    }

    [Fact]
    public void An_explicit_path_is_the_one_library_both_confluent_and_kappa_use()
    {
        NativeLibraryLoader.EnsureLoaded();
        string dir = Directory.CreateTempSubdirectory("kappa-rdkafka-").FullName;
        try
        {
            string copy = Path.Combine(dir, "librdkafka-explicit" + Path.GetExtension(NativeLibraryLoader.LoadedFrom));
            File.Copy(NativeLibraryLoader.LoadedFrom!, copy);
            using var broker = new ExternalMockKafkaCluster(brokers: 1, environment: new Dictionary<string, string?> { [NativeLibraryLoader.PathVariable] = copy });
            using var transport = new KafkaTransport(broker.TransportOptions());
            transport.EnsureTopics([new TopicSpec("native-explicit", 1)]);
            Assert.Equal(1, transport.GetPartitionCount("native-explicit"));

            (string loadedFrom, IReadOnlyList<string> mapped) = broker.NativeLibrary();

            Assert.Equal(copy, loadedFrom);
            if (OperatingSystem.IsLinux())
            {
                Assert.Equal([copy], mapped);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_missing_explicit_library_says_what_to_do()
    {
        var ex = Assert.Throws<KafkaNativeLibraryException>(() => NativeLibraryLoader.LoadExplicit("/no/such/dir/libkappa-no-such-rdkafka.so.9"));

        Assert.Contains("/no/such/dir/libkappa-no-such-rdkafka.so.9", ex.Message, StringComparison.Ordinal);
        Assert.Contains(NativeLibraryLoader.PathVariable, ex.Message, StringComparison.Ordinal);
        Assert.Contains("librdkafka.redist", ex.Message, StringComparison.Ordinal);
        Assert.Contains("runtimes/", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("apt-get", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_librdkafka_older_than_2_16_is_rejected_with_its_version_and_file()
    {
        var ex = Assert.Throws<KafkaNativeLibraryException>(() => NativeLibraryLoader.CheckVersion(0x020002ff, "2.0.2", "/usr/lib/x86_64-linux-gnu/librdkafka.so.1"));

        Assert.Contains("librdkafka 2.0.2 (from '/usr/lib/x86_64-linux-gnu/librdkafka.so.1') is older than 2.16.0", ex.Message, StringComparison.Ordinal);
        NativeLibraryLoader.CheckVersion(0x021000ff, "2.16.0", "x");
        NativeLibraryLoader.CheckVersion(0x02110000, "2.17.0-RC1", "x");
        Assert.Throws<KafkaNativeLibraryException>(() => NativeLibraryLoader.CheckVersion(0x020f01ff, "2.15.1", "x"));
    }

    [Fact]
    public void An_application_without_the_redist_runtimes_folder_fails_with_the_hint()
    {
        // kappa-test-broker copied without its runtimes/ folder: nothing for Confluent.Kafka to load.
        string dir = Directory.CreateTempSubdirectory("kappa-no-runtimes-").FullName;
        try
        {
            foreach (string file in Directory.EnumerateFiles(AppContext.BaseDirectory))
            {
                File.Copy(file, Path.Combine(dir, Path.GetFileName(file)));
            }

            var ex = Assert.Throws<KafkaMockClusterException>(() => new ExternalMockKafkaCluster(
                brokers: 1,
                brokerDll: Path.Combine(dir, "kappa-test-broker.dll"),
                environment: new Dictionary<string, string?> { [NativeLibraryLoader.PathVariable] = null }));

            Assert.Contains("librdkafka could not be loaded", ex.Message, StringComparison.Ordinal);
            Assert.Contains("runtimes/<rid>/native", ex.Message, StringComparison.Ordinal);
            Assert.Contains("librdkafka.redist", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_broker_process_without_a_loadable_librdkafka_fails_with_the_hint()
    {
        var ex = Assert.Throws<KafkaMockClusterException>(() => new ExternalMockKafkaCluster(
            brokers: 1,
            environment: new Dictionary<string, string?> { [NativeLibraryLoader.PathVariable] = "/no/such/dir/librdkafka.so" }));

        Assert.Contains("did not start", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"{NativeLibraryLoader.PathVariable}='/no/such/dir/librdkafka.so' could not be loaded", ex.Message, StringComparison.Ordinal);
        Assert.Contains("librdkafka.redist", ex.Message, StringComparison.Ordinal);
    }
}
