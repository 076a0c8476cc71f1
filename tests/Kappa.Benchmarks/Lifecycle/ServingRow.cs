namespace Kappa.Benchmarks.Lifecycle;

/// <summary>A serving table row for the view switch benchmark.</summary>
[AvroRecord]
[ServingTable(TableMode.Upsert)]
public partial record ServingRow([property: TableKey] string Customer, long Amount, int Version);

/// <summary>
/// A serving table row with one more column than <see cref="ServingRow"/> (region): PostgreSQL's routed view appends it
/// when the version is prepared, so a switch between the two is an UPDATE.
/// </summary>
[AvroRecord]
[ServingTable(TableMode.Upsert)]
public partial record WideServingRow([property: TableKey] string Customer, long Amount, int Version, string Region);

/// <summary>
/// A serving table row whose version is a bigint, wider than <see cref="ServingRow"/>'s integer: PostgreSQL's prepare
/// rebuilds the routed view with the bigint, so a switch between the two is an UPDATE.
/// </summary>
[AvroRecord]
[ServingTable(TableMode.Upsert)]
public partial record WidenedServingRow([property: TableKey] string Customer, long Amount, long Version);

/// <summary>
/// A serving table row whose amount is a double precision, which <see cref="ServingRow"/>'s bigint view column cannot
/// hold (nor the reverse: 2^53 + 1 has no double): PostgreSQL switches a view between the two by DDL.
/// </summary>
[AvroRecord]
[ServingTable(TableMode.Upsert)]
public partial record RetypedServingRow([property: TableKey] string Customer, double Amount, int Version);
