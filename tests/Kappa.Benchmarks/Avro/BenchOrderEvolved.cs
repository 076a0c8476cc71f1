using Kappa;

namespace Kappa.Benchmarks.Avro;

/// <summary>
/// BenchOrder after a field was added (Note): the reader of AvroResolutionBenchmarks' "extra and missing fields"
/// scenario, whose writer (recorded in kappa-avro-history.json) lacks Note and carries two fields this type does not have.
/// </summary>
[AvroRecord]
public partial record BenchOrderEvolved(
    string OrderId,
    string Customer,
    [AvroDecimal(18, 2)] decimal Total,
    DateTimeOffset PlacedAt,
    BenchAddress ShipTo,
    List<BenchLine> Lines,
    BenchStatus Status,
    string? Note);
