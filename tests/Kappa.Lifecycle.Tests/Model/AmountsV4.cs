namespace Kappa.Lifecycle.Tests.Model;

/// <summary>
/// Version 4 of processor <c>amounts</c>: v1's amounts plus a quarter, as a decimal (a serving table whose amount is
/// numeric(21,2), wider than v1's bigint: the widened column of a column change).
/// </summary>
[StreamProcessor(AmountsV1.Name, Version = 4)]
public sealed partial class AmountsV4
{
    [Consume("sales")]
    [Output(AmountsV1.Sink)]
    public PreciseAmount Handle(Sale sale) => new(sale.Customer, sale.Amount + 0.25m, 4);
}

/// <summary><see cref="CustomerAmount"/> with a wider amount: <c>numeric(21,2)</c> holds every <c>bigint</c>.</summary>
[AvroRecord]
[ServingTable(TableMode.Upsert)]
public partial record PreciseAmount([property: TableKey] string Customer, [AvroDecimal(21, 2)] decimal Amount, int Version);
