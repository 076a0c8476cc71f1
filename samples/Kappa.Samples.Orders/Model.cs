using Kappa;

namespace Kappa.Samples.Orders;

/// <summary>An order as the shop writes it to the <c>orders</c> topic.</summary>
[AvroRecord(Namespace = "shop")]
public partial record Order(
    string OrderId,
    string Customer,
    string Region,
    [AvroDecimal(12, 2)] decimal Amount,
    DateTimeOffset PlacedAt,
    List<OrderLine> Lines,
    string? CouponCode);

/// <summary>One line of an order.</summary>
[AvroRecord(Namespace = "shop")]
public partial record OrderLine(string Sku, int Quantity, [AvroDecimal(12, 2)] decimal UnitPrice);

/// <summary>Customer tier derived from the order amount.</summary>
public enum Tier
{
    Standard,
    Silver,
    Gold,
}

/// <summary>
/// What the enrichment processor writes to <c>enriched-orders.v{N}</c>, materialized into the serving table
/// <c>enriched_orders_v{N}</c> (one row per order, the latest wins) and served by the view <c>enriched_orders</c>.
/// </summary>
[AvroRecord(Namespace = "shop")]
[ServingTable(TableMode.Upsert)]
[TableIndex(nameof(Region))]
public partial record EnrichedOrder(
    [property: TableKey] string OrderId,
    string Region,
    [AvroDecimal(12, 2)] decimal Amount,
    int Items,
    Tier Tier,
    DateTimeOffset PlacedAt,
    DateTimeOffset LoggedAt);
