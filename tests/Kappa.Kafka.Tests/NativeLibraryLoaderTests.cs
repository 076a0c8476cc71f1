using Kappa.Kafka.Testing;

namespace Kappa.Kafka.Tests;

public class NativeLibraryLoaderTests
{
    [Fact]
    public void Loads_librdkafka_from_the_os_and_is_idempotent_across_threads()
    {
        Parallel.For(0, 8, _ => NativeLibraryLoader.EnsureLoaded());

        Assert.NotNull(NativeLibraryLoader.LoadedFrom);
        // A call into librdkafka through the resolver proves the mapping works.
        using var cluster = new MockKafkaCluster(1);
        Assert.StartsWith("127.0.0.1:", cluster.Bootstrap, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_library_names_the_package_to_install()
    {
        var ex = Assert.Throws<KafkaNativeLibraryException>(() => NativeLibraryLoader.Load(["libkappa-no-such-rdkafka.so.9"], out _));

        Assert.Contains("libkappa-no-such-rdkafka.so.9", ex.Message, StringComparison.Ordinal);
        Assert.Contains("apt-get install librdkafka1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("librdkafka.redist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_candidates_start_with_the_debian_soname_on_linux()
    {
        if (OperatingSystem.IsLinux())
        {
            Assert.Equal("librdkafka.so.1", NativeLibraryLoader.DefaultCandidates()[0]);
        }
        else
        {
            Assert.NotEmpty(NativeLibraryLoader.DefaultCandidates());
        }
    }
}
