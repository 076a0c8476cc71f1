namespace Kappa.Lifecycle.Tests.Model;

/// <summary>
/// Version 3 of processor <c>amounts</c>: v1's amounts, and one more column, the customer's region (a serving table
/// whose columns differ from v1's: the added column of a column change).
/// </summary>
[StreamProcessor(AmountsV1.Name, Version = 3)]
public sealed partial class AmountsV3
{
    [Consume("sales")]
    [Output(AmountsV1.Sink)]
    public RegionalAmount Handle(Sale sale) => new(sale.Customer, sale.Amount, 3, "r" + (sale.Amount % 3).ToString(System.Globalization.CultureInfo.InvariantCulture));
}

/// <summary><see cref="CustomerAmount"/> with one more column, <c>region</c>.</summary>
[AvroRecord]
[ServingTable(TableMode.Upsert)]
public partial record RegionalAmount([property: TableKey] string Customer, long Amount, int Version, string Region);
