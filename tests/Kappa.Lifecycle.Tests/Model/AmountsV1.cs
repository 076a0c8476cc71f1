namespace Kappa.Lifecycle.Tests.Model;

/// <summary>Version 1 of processor <c>amounts</c>: amounts as they are.</summary>
[StreamProcessor(AmountsV1.Name, Version = 1)]
public sealed partial class AmountsV1
{
    public const string Name = "amounts";

    public const string Sink = "customer-amounts";

    [Consume("sales")]
    [Output(Sink)]
    public CustomerAmount Handle(Sale sale) => new(sale.Customer, sale.Amount, 1);
}
