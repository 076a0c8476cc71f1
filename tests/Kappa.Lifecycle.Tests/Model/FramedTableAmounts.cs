namespace Kappa.Lifecycle.Tests.Model;

/// <summary>A processor whose [ServingTable] output is Confluent-framed: its generated AddFramedTableAmountsTables reads it through the registry.</summary>
[StreamProcessor("framed-table-amounts", Version = 1)]
public sealed partial class FramedTableAmounts
{
    public const string Sink = "framed-table-amounts";

    [Consume("sales")]
    [Output(Sink, Format = ValueFormat.ConfluentAvro)]
    public CustomerAmount Handle(Sale sale) => new(sale.Customer, sale.Amount, 1);
}
