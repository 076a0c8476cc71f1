using Kappa.Processing;
using Kappa.Testing;

namespace Kappa.Samples.Orders.Tests;

/// <summary>The enrichment processor, version by version, through the test driver (the real runner and dispatcher).</summary>
public sealed class EnrichOrdersTests
{
    private static readonly DateTimeOffset Placed = new(2026, 11, 1, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public void V1_enriches_an_order_with_its_item_count_tier_and_log_time()
    {
        using var driver = new KappaTestDriver<EnrichOrdersV1>(() => new EnrichOrdersV1());
        var logged = new DateTimeOffset(2026, 11, 1, 9, 31, 5, TimeSpan.Zero);

        driver.Pipe("orders", Order("o-1", 612.50m, ("kb-01", 2), ("usb-c", 3)), key: "c-001", timestamp: logged);

        TestRecord<EnrichedOrder> output = Assert.Single(driver.ReadOutputs<EnrichedOrder>("enriched-orders"));
        Assert.Equal("enriched-orders.v1", output.Topic);
        Assert.Equal("c-001", output.KeyText);
        Assert.Equal(logged, output.Timestamp);
        Assert.Equal(new EnrichedOrder("o-1", "EU", 612.50m, Items: 5, Tier.Gold, Placed, LoggedAt: logged), output.Value);
    }

    [Fact]
    public void V1_keeps_each_customers_outputs_in_input_order_with_explicit_time()
    {
        using var driver = new KappaTestDriver<EnrichOrdersV1>(() => new EnrichOrdersV1(), new KappaTestDriverOptions { InputPartitions = 3 });
        driver.CurrentTime = Placed;
        for (int i = 0; i < 12; i++)
        {
            driver.Pipe("orders", Order($"o-{i}", 10m * i, ("kb-01", 1)), key: $"c-{i % 4}");
            driver.AdvanceTime(TimeSpan.FromMinutes(1));
        }

        IReadOnlyList<TestRecord<EnrichedOrder>> outputs = driver.ReadOutputs<EnrichedOrder>("enriched-orders");
        Assert.Equal(12, outputs.Count);
        foreach (IGrouping<string?, TestRecord<EnrichedOrder>> customer in outputs.GroupBy(o => o.KeyText))
        {
            // A key's outputs share one partition and keep the input order; each carries its input's timestamp.
            Assert.Single(customer.Select(o => o.Partition).Distinct());
            Assert.Equal(customer.OrderBy(o => o.Offset).Select(o => o.Value.LoggedAt), customer.Select(o => o.Value.LoggedAt).Order());
            Assert.All(customer, o => Assert.Equal(o.Timestamp, o.Value.LoggedAt));
        }
    }

    [Fact]
    public void A_corrupt_order_is_dead_lettered_with_its_reason_and_the_next_one_is_processed()
    {
        using var driver = new KappaTestDriver<EnrichOrdersV1>(() => new EnrichOrdersV1());

        driver.PipeRaw("orders", "c-bad"u8.ToArray(), [0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], Placed);
        driver.Pipe("orders", Order("o-2", 50m, ("mouse-7", 1)), key: "c-002", timestamp: Placed);

        TestDeadLetter dead = Assert.Single(driver.ReadDeadLetters());
        Assert.Equal(DeadLetterHeaders.ReasonUndecodable, dead.Reason);
        Assert.Equal("Kappa.Avro.AvroDecodeException", dead.ExceptionType);
        Assert.Equal(("orders", 0, 0L), (dead.SourceTopic, dead.SourcePartition, dead.SourceOffset));
        Assert.Equal("c-bad", dead.KeyText);
        Assert.Equal("o-2", Assert.Single(driver.ReadOutputs<EnrichedOrder>("enriched-orders")).Value.OrderId);
    }

    [Fact]
    public void A_tombstone_is_dead_lettered_as_a_null_value()
    {
        using var driver = new KappaTestDriver<EnrichOrdersV1>(() => new EnrichOrdersV1());

        driver.PipeRaw("orders", "c-003"u8.ToArray(), value: null, Placed);

        Assert.Equal(DeadLetterHeaders.ReasonNullValue, Assert.Single(driver.ReadDeadLetters()).Reason);
        Assert.Empty(driver.ReadOutputs<EnrichedOrder>("enriched-orders"));
    }

    [Fact]
    public void V2_differs_from_v1_only_where_the_logic_changed()
    {
        OutputDiff<EnrichedOrder> diff = KappaTestDriver<EnrichOrdersV1>.CompareWith<EnrichOrdersV2, EnrichedOrder>(
            () => new EnrichOrdersV1(),
            () => new EnrichOrdersV2(),
            "enriched-orders",
            driver =>
            {
                driver.Pipe("orders", Order("o-gold", 800m, ("desk-l", 1)), key: "c-gold", timestamp: Placed);
                driver.Pipe("orders", Order("o-silver", 150m, ("chair-x", 1)), key: "c-silver", timestamp: Placed);
                driver.Pipe("orders", Order("o-free", 0m, ("usb-c", 1)), key: "c-free", timestamp: Placed);
                driver.Pipe("orders", Order("o-small", 20m, ("usb-c", 1)), key: "c-small", timestamp: Placed);
            });

        Assert.Equal(4, diff.KeysCompared);
        Assert.Equal(["c-free", "c-silver"], diff.Differences.Select(d => d.KeyText));
        KeyOutputDifference<EnrichedOrder> silver = Assert.Single(diff.Changed);
        Assert.Equal((Tier.Standard, Tier.Silver), (Assert.Single(silver.Before).Tier, Assert.Single(silver.After).Tier));
        KeyOutputDifference<EnrichedOrder> free = Assert.Single(diff.Removed);
        Assert.Equal("c-free", free.KeyText);
        Assert.Empty(diff.Added);
    }

    [Fact]
    public void V2_is_deterministic_over_the_sample_feed()
    {
        using var driver = new KappaTestDriver<EnrichOrdersV2>(() => new EnrichOrdersV2(), new KappaTestDriverOptions { InputPartitions = 2 });
        OrderFeed.Write(driver.Transport, count: 200, partitions: 2);
        driver.Process();

        DeterminismReport report = driver.AssertDeterministic();

        Assert.Equal(201, report.Records);
        Assert.Equal(report.FirstOutputChecksum, report.SecondOutputChecksum);
        Assert.Single(driver.ReadDeadLetters());
        Assert.Equal(200 - 3, driver.ReadOutputs<EnrichedOrder>("enriched-orders").Count); // orders 0, 97 and 194 are free
    }

    [Fact]
    public void On_the_embedded_log_a_restart_resumes_after_the_committed_outputs()
    {
        using var driver = new KappaTestDriver<EnrichOrdersV1>(() => new EnrichOrdersV1(), new KappaTestDriverOptions { Storage = TestStorage.EmbeddedLog });
        driver.Pipe("orders", Order("o-1", 5m, ("usb-c", 1)), key: "c-1", timestamp: Placed);

        driver.Restart();
        driver.Pipe("orders", Order("o-2", 6m, ("usb-c", 1)), key: "c-1", timestamp: Placed.AddMinutes(1));

        Assert.Equal(2, driver.Starts);
        Assert.Equal(["o-1", "o-2"], driver.ReadOutputs<EnrichedOrder>("enriched-orders").Select(o => o.Value.OrderId));
    }

    private static Order Order(string id, decimal amount, params (string Sku, int Quantity)[] lines) =>
        new(id, "cust", "EU", amount, Placed, lines.Select(l => new OrderLine(l.Sku, l.Quantity, 1m)).ToList(), CouponCode: null);
}
