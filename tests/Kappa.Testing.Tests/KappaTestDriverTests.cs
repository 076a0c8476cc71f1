using Kappa.Processing;

namespace Kappa.Testing.Tests;

public sealed class KappaTestDriverTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<TestStorage> Storages => new() { TestStorage.InMemory, TestStorage.EmbeddedLog };

    [Theory]
    [MemberData(nameof(Storages))]
    public void State_is_kept_per_key_and_readable(TestStorage storage)
    {
        using var driver = new KappaTestDriver<Balances>(() => new Balances(), new KappaTestDriverOptions { Storage = storage, InputPartitions = 2 });

        driver.Pipe("payments", new Payment("p1", 100), key: "acct-a", timestamp: T0);
        driver.Pipe("payments", new Payment("p2", 250), key: "acct-b", timestamp: T0);
        driver.Pipe("payments", new Payment("p3", 5), key: "acct-a", timestamp: T0);

        AccountTotals a = driver.GetState<AccountTotals>("totals", "acct-a");
        Assert.Equal((2L, 105L), (a.Payments, a.TotalCents));
        Assert.True(driver.TryGetState("totals", "acct-b", out AccountTotals b));
        Assert.Equal(250, b.TotalCents);
        Assert.False(driver.TryGetState("totals", "acct-c", out AccountTotals _));
        Assert.Equal(2, driver.ReadState<AccountTotals>("totals").Count);
        Assert.Equal([100L, 250L, 105L], driver.ReadOutputs<Balance>("balances").OrderBy(o => o.Value.Id).Select(o => o.Value.TotalCents));
    }

    [Theory]
    [MemberData(nameof(Storages))]
    public void A_restart_restores_state_from_the_changelog(TestStorage storage)
    {
        using var driver = new KappaTestDriver<Balances>(() => new Balances(), new KappaTestDriverOptions { Storage = storage });
        driver.Pipe("payments", new Payment("p1", 100), key: "acct-a", timestamp: T0);
        driver.Pipe("payments", new Payment("p2", 20), key: "acct-a", timestamp: T0);

        driver.Restart();
        Assert.Equal(120, driver.GetState<AccountTotals>("totals", "acct-a").TotalCents);
        driver.Pipe("payments", new Payment("p3", 3), key: "acct-a", timestamp: T0);

        Assert.Equal(2, driver.Starts);
        Assert.Equal([100L, 120L, 123L], driver.ReadOutputs<Balance>("balances").Select(o => o.Value.TotalCents));
    }

    [Theory]
    [MemberData(nameof(Storages))]
    public void A_failed_batch_is_processed_exactly_once_after_the_restart(TestStorage storage)
    {
        int starts = 0;
        using var driver = new KappaTestDriver<Balances>(() => new Balances { FailOnBoom = ++starts == 1 }, new KappaTestDriverOptions { Storage = storage });

        var fault = Assert.Throws<ProcessorFaultedException>(() => driver.PipeAll("payments", [("acct-a", new Payment("p1", 1)), ("acct-a", new Payment("boom", 10)), ("acct-a", new Payment("p3", 100))]));
        Assert.Equal(1, fault.Offset);
        Assert.Throws<KappaTestException>(() => driver.ReadOutputs<Balance>("balances"));

        driver.Restart();

        // The aborted transaction held p1's output and state change: neither is seen twice.
        Assert.Equal(["p1", "boom", "p3"], driver.ReadOutputs<Balance>("balances").Select(o => o.Value.Id));
        Assert.Equal(111, driver.GetState<AccountTotals>("totals", "acct-a").TotalCents);
    }

    [Fact]
    public void Handler_errors_can_be_dead_lettered_and_null_keys_are_rejected_by_stateful_handlers()
    {
        var options = new KappaTestDriverOptions { Processor = new ProcessorOptions { OnHandlerError = HandlerErrorPolicy.DeadLetter } };
        using var driver = new KappaTestDriver<Balances>(() => new Balances { FailOnBoom = true }, options);

        driver.Pipe("payments", new Payment("boom", 1), key: "acct-a", timestamp: T0);
        driver.Pipe("payments", new Payment("p2", 2), key: null, timestamp: T0);
        driver.Pipe("payments", new Payment("p3", 3), key: "acct-a", timestamp: T0);

        IReadOnlyList<TestDeadLetter> dead = driver.ReadDeadLetters();
        Assert.Equal([DeadLetterHeaders.ReasonHandlerError, DeadLetterHeaders.ReasonNullKey], dead.Select(d => d.Reason));
        Assert.Equal("boom payment", dead[0].Error);
        Assert.Equal("boom", dead[0].Decode<Payment>().Id);
        Assert.Equal(3, driver.GetState<AccountTotals>("totals", "acct-a").TotalCents);
    }

    [Fact]
    public void Headers_and_timestamps_reach_the_handler_as_piped()
    {
        using var driver = new KappaTestDriver<Balances>(() => new Balances(), new KappaTestDriverOptions { StartTime = T0 });

        driver.Pipe("payments", new Payment("p1", 1), key: "a", headers: [new("tenant", "acme")]);
        driver.AdvanceTime(TimeSpan.FromHours(1));
        driver.Pipe("payments", new Payment("p2", 1), key: "a", partition: 0);

        IReadOnlyList<TestRecord<Balance>> outputs = driver.ReadOutputs<Balance>("balances");
        Assert.Equal(["acme", ""], outputs.Select(o => o.Value.Tenant));
        Assert.Equal([T0, T0.AddHours(1)], outputs.Select(o => o.Timestamp));
    }

    [Fact]
    public void A_non_deterministic_processor_fails_the_determinism_assertion()
    {
        using var driver = new KappaTestDriver<Numbered>(() => new Numbered());
        driver.Pipe("payments", new Payment("p1", 1), key: "a", timestamp: T0);

        var error = Assert.Throws<KappaTestException>(() => driver.AssertDeterministic());

        Assert.Contains("NOT deterministic", error.Message);
        Assert.Contains("numbered.v1 key 'a'", error.Message);
    }

    [Theory]
    [MemberData(nameof(Storages))]
    public void Deterministic_state_passes_the_determinism_assertion(TestStorage storage)
    {
        using var driver = new KappaTestDriver<Balances>(() => new Balances(), new KappaTestDriverOptions { Storage = storage, InputPartitions = 3 });
        for (int i = 0; i < 30; i++)
        {
            driver.Pipe("payments", new Payment($"p{i}", i), key: $"acct-{i % 7}", timestamp: T0.AddSeconds(i));
        }

        DeterminismReport report = driver.AssertDeterministic();
        Assert.Equal(30, report.Records);
        Assert.Equal(report.FirstStateChecksum, report.SecondStateChecksum);
    }

    [Fact]
    public void Asking_for_what_the_processor_does_not_have_names_what_it_has()
    {
        using var driver = new KappaTestDriver<Balances>(() => new Balances());

        Assert.Contains("its inputs are: payments", Assert.Throws<KappaTestException>(() => driver.Pipe("paymnts", new Payment("p", 1))).Message);
        Assert.Contains("its sinks are: balances", Assert.Throws<KappaTestException>(() => driver.ReadOutputs<Balance>("balance")).Message);
        Assert.Contains("its stores are: totals", Assert.Throws<KappaTestException>(() => driver.GetState<AccountTotals>("total", "a")).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => driver.Pipe("payments", new Payment("p", 1), partition: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new KappaTestDriver<Balances>(() => new Balances(), new KappaTestDriverOptions { InputPartitions = 0 }));
    }

    [Fact]
    public void A_hung_handler_fails_the_call_after_the_timeout_instead_of_hanging_the_test()
    {
        using var gate = new ManualResetEventSlim(false);
        // The runner starts (in the constructor) with the default safety net of minutes: starting can take longer than
        // 300 ms on a loaded machine (1 run in 8 at load 11 failed with "did not finish the 0 input records"). Only the
        // call meant to hang gets 300 ms.
        using var driver = new KappaTestDriver<Blocking>(() => new Blocking(gate));
        driver.Options.Timeout = TimeSpan.FromMilliseconds(300);

        var error = Assert.Throws<KappaTestException>(() => driver.Pipe("payments", new Payment("p1", 1), key: "a", timestamp: T0));
        Assert.Contains("did not finish the 1 input records", error.Message);

        // Released, the handler finishes the record: waited for with a safety net of minutes, not the 300 ms that only
        // the hung call above was meant to run into (finishing and committing can take longer on a loaded machine).
        driver.Options.Timeout = TimeSpan.FromMinutes(2);
        gate.Set();
        Assert.Equal("p1", Assert.Single(driver.ReadOutputs<Payment>("passed")).Value.Id);
    }
}
