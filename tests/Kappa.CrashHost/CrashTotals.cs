using Kappa.State;

namespace Kappa.CrashHost;

/// <summary>
/// The stateful processor under test: a running total per key (state store "totals", changelog-backed), emitting the new
/// total for every input. Exactly-once by default (stateful processors are). Its topics are renamed per test run by
/// <see cref="RenamedDispatcher"/>.
/// </summary>
[StreamProcessor("crash-totals")]
public sealed partial class CrashTotals
{
    [Consume("crash-input")]
    [Output("crash-totals")]
    public TotalOutput Add(AmountInput input, [StateStore("totals")] ref RunningTotal state, RecordContext ctx)
    {
        Pacing.Pace();
        state.Total += input.Amount;
        return new TotalOutput(ctx.Partition, ctx.Offset, state.Total);
    }
}
