using Kappa.State;

namespace Kappa.Runtime.Tests.Processing;

/// <summary>
/// A stateful processor with nullable class state: keeps per-customer totals (store "customers"), outputs the running
/// total as an <see cref="EnrichedOrder"/>; region "close" deletes the customer's state (a changelog tombstone) and
/// region "boom" throws.
/// </summary>
[StreamProcessor("track-customers")]
public sealed partial class TrackCustomers
{
    [Consume("orders")]
    [Output("customer-totals")]
    public EnrichedOrder? Track(Order order, [StateStore("customers")] ref CustomerTotals? totals, RecordContext ctx)
    {
        if (order.Region == "boom")
        {
            throw new InvalidOperationException($"Region 'boom' is not served (order {order.Id}).");
        }

        if (order.Region == "close")
        {
            totals = null;
            return null;
        }

        totals ??= new CustomerTotals();
        totals.Orders++;
        totals.Amount += order.Amount;
        totals.LastRegion = order.Region;
        return new EnrichedOrder
        {
            Id = order.Id,
            Region = order.Region,
            AmountCents = totals.Amount,
            SourceTimestampMs = ctx.TimestampMs,
            SourcePartition = ctx.Partition,
            SourceOffset = totals.Orders,
        };
    }
}
