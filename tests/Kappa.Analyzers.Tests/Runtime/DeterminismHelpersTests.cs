using Kappa.Determinism;
using Kappa.Transport;

namespace Kappa.Analyzers.Tests.Runtime;

/// <summary>
/// The runtime helpers the code fixes point to. Expected values come from independent implementations:
/// Python's uuid module (uuid5 / SHA-1 name-based ids) and a Python transcription of the xoshiro256** reference.
/// </summary>
public class DeterminismHelpersTests
{
    [Fact]
    public void Create_MatchesRfc9562Version5Example()
    {
        // RFC 9562 appendix A.4 / Python: uuid.uuid5(uuid.NAMESPACE_DNS, "www.example.com")
        Guid dns = Guid.Parse("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
        Assert.Equal(Guid.Parse("2ed6657d-e927-568b-95e1-2665a8aea6a2"), DeterministicGuid.Create(dns, "www.example.com"u8));
    }

    [Fact]
    public void FromRecord_MatchesIndependentComputation_AndDependsOnIndex()
    {
        // Python: sha1(ns.bytes + b"orders\0" + struct.pack(">iqi", 3, 42, index)), version 5, RFC variant
        Assert.Equal(Guid.Parse("0b0df307-e3b6-52cc-b393-834068d411f0"), DeterministicGuid.FromRecord("orders", 3, 42));
        Assert.Equal(Guid.Parse("1444b2f0-64cf-53f0-8347-f08c25041b8c"), DeterministicGuid.FromRecord("orders", 3, 42, 1));
    }

    [Fact]
    public void RecordContext_NewGuid_IsAFunctionOfTheRecord()
    {
        Guid a = Context("orders", 3, 42).NewGuid();
        Guid b = Context("orders", 3, 42).NewGuid();
        Guid c = Context("orders", 3, 43).NewGuid();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.Equal(DeterministicGuid.FromRecord("orders", 3, 42), a);
        Assert.Equal(5, a.Version);
    }

    [Fact]
    public void FromRecord_RejectsInvalidPositions_WithTheParameterName()
    {
        Assert.Equal("partition", Assert.Throws<ArgumentOutOfRangeException>(() => DeterministicGuid.FromRecord("t", -1, 0)).ParamName);
        Assert.Equal("offset", Assert.Throws<ArgumentOutOfRangeException>(() => DeterministicGuid.FromRecord("t", 0, -1)).ParamName);
        Assert.Equal("index", Assert.Throws<ArgumentOutOfRangeException>(() => DeterministicGuid.FromRecord("t", 0, 0, -1)).ParamName);
        Assert.Throws<ArgumentNullException>(() => DeterministicGuid.FromRecord(null!, 0, 0));
    }

    [Fact]
    public void DeterministicRandom_MatchesXoshiro256StarStarReference()
    {
        var random = new DeterministicRandom(12345);
        Assert.Equal(13720838825685603483UL, random.NextUInt64());
        Assert.Equal(2398916695208396998UL, random.NextUInt64());
        Assert.Equal(17770384849984869256UL, random.NextUInt64());
    }

    [Fact]
    public void CreateRandom_IsReproducible_AndStreamsDiffer()
    {
        int[] first = Draw(Context("orders", 1, 7).CreateRandom());
        int[] again = Draw(Context("orders", 1, 7).CreateRandom());
        int[] stream1 = Draw(Context("orders", 1, 7).CreateRandom(1));
        int[] other = Draw(Context("orders", 1, 8).CreateRandom());
        Assert.Equal(first, again);
        Assert.NotEqual(first, stream1);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void DeterministicRandom_RespectsRanges()
    {
        var random = new DeterministicRandom(99);
        for (int i = 0; i < 10_000; i++)
        {
            Assert.InRange(random.Next(10), 0, 9);
            Assert.InRange(random.Next(-5, 5), -5, 4);
            Assert.InRange(random.NextInt64(long.MinValue, long.MaxValue), long.MinValue, long.MaxValue - 1);
            Assert.InRange(random.NextDouble(), 0.0, 0.9999999999999999);
            Assert.InRange(random.NextSingle(), 0f, 0.99999994f);
            Assert.True(random.Next() >= 0);
        }

        Assert.Equal(0, random.Next(0));
        Assert.Equal(3, random.Next(3, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => random.Next(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => random.Next(5, 4));

        byte[] bytes = new byte[13];
        random.NextBytes(bytes);
        Assert.Contains(bytes, b => b != 0);

        int[] items = Enumerable.Range(0, 20).ToArray();
        new DeterministicRandom(5).Shuffle(items);
        int[] again = Enumerable.Range(0, 20).ToArray();
        new DeterministicRandom(5).Shuffle(again);
        Assert.Equal(items, again);
        Assert.Equal(Enumerable.Range(0, 20), items.Order());
    }

    private static int[] Draw(Random random) => Enumerable.Range(0, 16).Select(_ => random.Next(1000)).ToArray();

    private static RecordContext Context(string topic, int partition, long offset) =>
        new(topic, partition, offset, 1_700_000_000_000, ReadOnlySpan<byte>.Empty, keyIsNull: true, default(RecordHeaders));
}
