namespace Kappa.Testing.Tests;

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
