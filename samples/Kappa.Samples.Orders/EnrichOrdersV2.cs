using Kappa;

namespace Kappa.Samples.Orders;

/// <summary>
/// Version 2, the logic change: a Silver tier from 100, and zero-amount orders (fully discounted) are no longer
/// published. Deployed by replaying the whole <c>orders</c> log into <c>enriched-orders.v2</c>.
/// </summary>
[StreamProcessor("enrich-orders", Version = 2)]
public partial class EnrichOrdersV2
{
    [Consume("orders")]
    [Output("enriched-orders")]
    public EnrichedOrder? Handle(Order order, RecordContext ctx)
    {
        if (order.Amount == 0m)
        {
            return null;
        }

        Tier tier = order.Amount switch
        {
            >= 500m => Tier.Gold,
            >= 100m => Tier.Silver,
            _ => Tier.Standard,
        };
        return new EnrichedOrder(order.OrderId, order.Region, order.Amount, EnrichOrdersV1.CountItems(order.Lines), tier, order.PlacedAt, ctx.Timestamp);
    }
}
