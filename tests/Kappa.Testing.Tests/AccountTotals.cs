using Kappa.State;

namespace Kappa.Testing.Tests;

/// <summary>Per-account running totals.</summary>
[ProcessorState]
public partial class AccountTotals
{
    public long Payments;
    public long TotalCents;
}
