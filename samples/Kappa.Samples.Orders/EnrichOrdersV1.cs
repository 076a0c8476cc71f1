using Kappa;

namespace Kappa.Samples.Orders;

/// <summary>Version 1: every order, tiered Gold from 500.</summary>
[StreamProcessor("enrich-orders", Version = 1)]
public partial class EnrichOrdersV1
{
    [Consume("orders")]
    [Output("enriched-orders")]
    public EnrichedOrder Handle(Order order, RecordContext ctx) =>
        new(
            order.OrderId,
            order.Region,
            order.Amount,
            Items: CountItems(order.Lines),
            Tier: order.Amount >= 500m ? Tier.Gold : Tier.Standard,
            order.PlacedAt,
            LoggedAt: ctx.Timestamp); // the record's log time, never the wall clock: replays give identical output

    internal static int CountItems(List<OrderLine> lines)
    {
        int items = 0;
        foreach (OrderLine line in lines)
        {
            items += line.Quantity;
        }

        return items;
    }
}
