using Kappa.Avro;
using Kappa.Avro.Registry;
using Kappa.Processing;

namespace Kappa.Testing.Tests;

/// <summary>The test driver with a processor whose input and output are Confluent-framed.</summary>
public sealed class FramedDriverTests
{
    public static TheoryData<TestStorage> Storages => new() { TestStorage.InMemory, TestStorage.EmbeddedLog };

    [Theory]
    [MemberData(nameof(Storages))]
    public void Piped_records_are_framed_and_outputs_read_through_the_registry(TestStorage storage)
    {
        using var driver = new KappaTestDriver<FramedPayments>(() => new FramedPayments(), new KappaTestDriverOptions { Storage = storage });
        InMemorySchemaRegistry registry = Assert.IsType<InMemorySchemaRegistry>(driver.SchemaRegistry);

        driver.Pipe("payments", new Payment("p1", 100), key: "a");
        driver.PipeAll("payments", [("b", new Payment("p2", 7)), ("a", new Payment("p3", 1))]);
        driver.PipeRaw("payments", null, AvroSerializer.SerializeToArray(new Payment("unframed", 1)));

        Assert.Equal([200L, 14L, 2L], driver.ReadOutputs<Payment>("doubled").Select(o => o.Value.Cents));
        Assert.Equal(["payments-value", "doubled.v1-value"], registry.Subjects.OrderByDescending(s => s, StringComparer.Ordinal));
        TestDeadLetter dead = Assert.Single(driver.ReadDeadLetters());
        Assert.Equal(DeadLetterHeaders.ReasonBadFraming, dead.Reason);
        Assert.True(driver.AssertDeterministic().IsDeterministic);
    }

    [Fact]
    public async Task The_tests_own_registry_is_used()
    {
        var registry = new InMemorySchemaRegistry();
        int id = await registry.RegisterAsync("payments-value", Payment.AvroSchemaJson);
        var options = new KappaTestDriverOptions();
        options.Processor.SchemaRegistry = registry;
        using var driver = new KappaTestDriver<FramedPayments>(() => new FramedPayments(), options);

        driver.PipeRaw("payments", null, [0, 0, 0, 0, (byte)id, 0x04, (byte)'p', (byte)'1', 0x06]);

        Assert.Same(registry, driver.SchemaRegistry);
        Assert.Equal(("p1", 6L), driver.ReadOutputs<Payment>("doubled").Select(o => (o.Value.Id, o.Value.Cents)).Single());
    }
}
