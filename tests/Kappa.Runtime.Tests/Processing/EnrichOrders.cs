namespace Kappa.Runtime.Tests.Processing;

/// <summary>
/// A processor written as user code: the generator in this test project emits its dispatcher and registration.
/// Amount 0 gives no output; region "boom" makes the handler throw.
/// </summary>
[StreamProcessor("enrich-orders", Version = 1)]
public partial class EnrichOrders
{
    [Consume("orders")]
    [Output("enriched-orders")]
    public EnrichedOrder? Handle(Order order, RecordContext ctx)
    {
        if (order.Region == "boom")
        {
            throw new InvalidOperationException($"Region 'boom' is not served (order {order.Id}).");
        }

        if (order.Amount == 0)
        {
            return null;
        }

        return new EnrichedOrder
        {
            Id = order.Id,
            Region = order.Region.ToUpperInvariant(),
            AmountCents = order.Amount * 100,
            SourceTimestampMs = ctx.TimestampMs,
            SourcePartition = ctx.Partition,
            SourceOffset = ctx.Offset,
        };
    }
}
