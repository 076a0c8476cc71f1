namespace Kappa.Benchmarks.Kafka;

/// <summary>The typed benchmark's input: an Avro record of about 100 bytes with strings, as real events have.</summary>
[AvroRecord(Namespace = "bench")]
public partial record BenchEvent(string EventId, string Region, string Sku, long AmountCents, int Quantity, DateTimeOffset At);
