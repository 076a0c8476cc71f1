namespace Kappa.Integration.Tests.Interop;

/// <summary>Output of the interop processor, read by kafka-python with the Apache Avro library.</summary>
[AvroRecord(Namespace = "interop")]
public partial record HeatAlert(string SensorId, double Fahrenheit, string Level, long SourceOffset, DateTimeOffset At, int TagCount);
