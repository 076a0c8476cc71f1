namespace Kappa.Kafka.Tests;

/// <summary>The input and output of <see cref="TraceEcho"/>.</summary>
[AvroRecord(Namespace = "tests")]
public partial record TracePing(string Id);
