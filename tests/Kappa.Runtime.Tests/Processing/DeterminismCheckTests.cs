using Kappa.Processing;

namespace Kappa.Runtime.Tests.Processing;

public class DeterminismCheckTests
{
    [Fact]
    public void A_deterministic_processor_gives_equal_output_and_state_checksums_without_touching_its_topics()
    {
        var transport = new InMemoryTransport();
        transport.CreateTopic("units", 2);
        transport.AppendUnits(0, 50, keys: 7, partitions: 2);

        DeterminismReport report = DeterminismCheck.Run(() => new TotalUnits(), transport);

        Assert.True(report.IsDeterministic, report.ToString());
        Assert.Equal(50, report.Records);
        Assert.Equal(report.FirstOutputChecksum, report.SecondOutputChecksum);
        Assert.Equal(report.FirstStateChecksum, report.SecondStateChecksum);
        Assert.Equal(64, report.FirstOutputChecksum.Length);

        // Isolated: no output topic, changelog or committed offset was created.
        Assert.False(transport.TopicExists("unit-totals.v1"));
        Assert.False(transport.TopicExists("total-units.v1.totals-changelog"));
        Assert.Null(transport.CommittedOffset("total-units.v1", "units", 0));
    }

    [Fact]
    public void Checksums_depend_on_the_input_range()
    {
        var transport = new InMemoryTransport();
        transport.CreateTopic("units", 1);
        transport.AppendUnits(0, 20, keys: 3, partitions: 1);

        DeterminismReport whole = DeterminismCheck.Run(() => new TotalUnits(), transport);
        DeterminismReport part = DeterminismCheck.Run(() => new TotalUnits(), transport, end: [new Transport.TopicPartitionOffset("units", 0, 10)]);

        Assert.True(part.IsDeterministic);
        Assert.Equal(10, part.Records);
        Assert.NotEqual(whole.FirstOutputChecksum, part.FirstOutputChecksum);
        Assert.NotEqual(whole.FirstStateChecksum, part.FirstStateChecksum);
        Assert.Throws<ArgumentOutOfRangeException>(() => DeterminismCheck.Run(() => new TotalUnits(), transport, end: [new Transport.TopicPartitionOffset("units", 0, 21)]));
    }

    [Fact]
    public void A_non_deterministic_processor_is_reported_with_the_first_differing_key()
    {
        var transport = new InMemoryTransport();
        transport.CreateTopic("units", 1);
        transport.AppendUnits(0, 30, keys: 4, partitions: 1);

        DeterminismReport report = DeterminismCheck.Run(() => new StampUnits(), transport);

        Assert.False(report.IsDeterministic);
        Assert.NotEqual(report.FirstOutputChecksum, report.SecondOutputChecksum);
        Assert.NotEqual(report.FirstStateChecksum, report.SecondStateChecksum);
        DeterminismDifference difference = report.FirstDifference!;
        Assert.Equal("stamped-units.v1", difference.Topic);
        Assert.Equal("k2", difference.KeyText);
        Assert.NotEqual(difference.FirstChecksum, difference.SecondChecksum);
        Assert.Contains("NOT deterministic", report.ToString(), StringComparison.Ordinal);
        Assert.Contains("stamped-units.v1 key 'k2'", report.ToString(), StringComparison.Ordinal);
    }
}
