namespace Kappa.Benchmarks.Kafka;

/// <summary>A generated processor whose handler only aggregates, so the benchmark measures consume + decode + dispatch.</summary>
[StreamProcessor("bench-typed", Version = 1)]
public partial class BenchTypedProcessor
{
    public long Checksum { get; private set; }

    [Consume(TypedConsumeBenchmarks.Topic)]
    public void Handle(BenchEvent value, RecordContext ctx) => Checksum += value.AmountCents + value.Quantity + ctx.Offset;
}
