namespace Kappa.Integration.Tests.Interop;

/// <summary>Input of the interop processor, written by kafka-python with the Apache Avro library.</summary>
[AvroRecord(Namespace = "interop")]
public partial record Reading(string SensorId, double Celsius, long? Sequence, DateTimeOffset At, List<string> Tags);
