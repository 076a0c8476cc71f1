namespace Kappa.Testing.Tests;

[AvroRecord(Namespace = "tests")]
public partial record Balance(string Id, long Payments, long TotalCents, string Tenant);
