namespace Kappa.Lifecycle.Tests.Model;

/// <summary>An input record of topic <c>sales</c>, keyed by customer.</summary>
[AvroRecord]
public partial record Sale(string Customer, long Amount);
