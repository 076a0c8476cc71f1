namespace Kappa.Testing.Tests;

[AvroRecord(Namespace = "tests")]
public partial record Payment(string Id, long Cents);
