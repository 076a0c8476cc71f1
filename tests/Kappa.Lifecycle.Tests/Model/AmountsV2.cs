namespace Kappa.Lifecycle.Tests.Model;

/// <summary>Version 2 of processor <c>amounts</c>: amounts in cents, so every row differs from v1's.</summary>
[StreamProcessor(AmountsV1.Name, Version = 2)]
public sealed partial class AmountsV2
{
    [Consume("sales")]
    [Output(AmountsV1.Sink)]
    public CustomerAmount Handle(Sale sale) => new(sale.Customer, sale.Amount * 100, 2);
}
