namespace Kappa.Benchmarks.Lifecycle;

/// <summary>A serving table row for the view switch benchmark.</summary>
[AvroRecord]
[ServingTable(TableMode.Upsert)]
public partial record ServingRow([property: TableKey] string Customer, long Amount, int Version);
