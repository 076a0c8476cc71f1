using Kappa.State;

namespace Kappa.Runtime.Tests.Processing;

/// <summary>Per-customer class state of <see cref="TrackCustomers"/>.</summary>
[ProcessorState]
public partial class CustomerTotals
{
    public long Orders;
    public long Amount;
    public string LastRegion = "";
}
