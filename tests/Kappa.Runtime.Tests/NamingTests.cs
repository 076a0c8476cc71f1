using Kappa.Naming;

namespace Kappa.Runtime.Tests;

public class NamingTests
{
    [Fact]
    public void Names_follow_the_versioning_convention()
    {
        Assert.Equal("revenue-by-region.v2", KappaNames.ConsumerGroup("revenue-by-region", 2));
        Assert.Equal("revenue-by-region.v2.totals-changelog", KappaNames.Changelog("revenue-by-region", 2, "totals"));
        Assert.Equal("revenue-by-region.v2.dlq", KappaNames.DeadLetter("revenue-by-region", 2));
        Assert.Equal("region-revenue.v3", KappaNames.OutputTopic("region-revenue", 3));
        Assert.Equal("region_revenue_v3", KappaNames.Table("region-revenue", 3));
        Assert.Equal("region-revenue", KappaNames.ServingName("region-revenue"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("slash/name")]
    public void Invalid_names_are_rejected_with_a_reason(string name)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => KappaNames.ConsumerGroup(name, 1));
        Assert.Contains("name", ex.Message);
    }

    [Fact]
    public void Versions_start_at_one()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => KappaNames.OutputTopic("sink", 0));
    }
}
