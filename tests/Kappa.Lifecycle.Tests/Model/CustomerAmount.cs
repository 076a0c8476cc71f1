namespace Kappa.Lifecycle.Tests.Model;

/// <summary>The serving table of sink <c>customer-amounts</c>: the last sale of each customer, as each version computes it.</summary>
[AvroRecord]
[ServingTable(TableMode.Upsert)]
public partial record CustomerAmount([property: TableKey] string Customer, long Amount, int Version);
