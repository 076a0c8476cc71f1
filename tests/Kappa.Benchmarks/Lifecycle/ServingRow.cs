namespace Kappa.Benchmarks.Lifecycle;

/// <summary>A serving table row for the view switch benchmark.</summary>
[AvroRecord]
[ServingTable(TableMode.Upsert)]
public partial record ServingRow([property: TableKey] string Customer, long Amount, int Version);

/// <summary>
/// A serving table row with other columns than <see cref="ServingRow"/> (one more): switching a view between the two is a
/// column change, which PostgreSQL switches by DDL.
/// </summary>
[AvroRecord]
[ServingTable(TableMode.Upsert)]
public partial record WideServingRow([property: TableKey] string Customer, long Amount, int Version, string Region);
