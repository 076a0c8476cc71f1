using Kappa.State;

namespace Kappa.Testing.Tests;

[AvroRecord(Namespace = "tests")]
public partial record Payment(string Id, long Cents);

[AvroRecord(Namespace = "tests")]
public partial record Balance(string Id, long Payments, long TotalCents, string Tenant);

/// <summary>Per-account running totals.</summary>
[ProcessorState]
public partial class AccountTotals
{
    public long Payments;
    public long TotalCents;
}

/// <summary>
/// Stateful (so exactly-once by default): adds each payment to its account's totals and outputs the new balance, with
/// the record's "tenant" header. A payment with id "boom" throws while <see cref="FailOnBoom"/> is set.
/// </summary>
[StreamProcessor("balances")]
public sealed partial class Balances
{
    public bool FailOnBoom { get; init; }

    [Consume("payments")]
    [Output("balances")]
    public Balance Handle(Payment payment, ref AccountTotals totals, RecordContext ctx)
    {
        if (FailOnBoom && payment.Id == "boom")
        {
            throw new InvalidOperationException("boom payment");
        }

        totals.Payments++;
        totals.TotalCents += payment.Cents;
        return new Balance(payment.Id, totals.Payments, totals.TotalCents, ctx.Headers.GetLastString("tenant") ?? "");
    }
}

/// <summary>Not deterministic on purpose: numbers outputs with a counter shared by every instance.</summary>
[StreamProcessor("numbered")]
public sealed partial class Numbered
{
    private static long s_next;

    [Consume("payments")]
    [Output("numbered")]
    public Payment Handle(Payment payment) => payment with { Cents = Interlocked.Increment(ref s_next) };
}
