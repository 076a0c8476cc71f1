namespace Kappa.Runtime.Tests.Processing;

/// <summary>Two input topics into one sink, with many outputs per record (a List and an array of structs).</summary>
[StreamProcessor("split-orders", Version = 2)]
public partial class SplitOrders
{
    [Consume("orders")]
    [Output("order-units")]
    public List<OrderUnit> Split(Order order)
    {
        var units = new List<OrderUnit>();
        for (long i = 0; i < order.Amount; i++)
        {
            units.Add(new OrderUnit { Sequence = i, Sign = 1 });
        }

        return units;
    }

    [Consume("refunds")]
    [Output("order-units")]
    public static OrderUnit[] Refund(Order refund) => [new OrderUnit { Sequence = 0, Sign = -refund.Amount }];
}
