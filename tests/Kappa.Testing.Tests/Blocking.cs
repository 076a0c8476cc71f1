namespace Kappa.Testing.Tests;

/// <summary>A processor whose handler waits until the test opens <see cref="Gate"/> (a hung handler, on demand).</summary>
[StreamProcessor("blocking")]
public sealed partial class Blocking(ManualResetEventSlim gate)
{
    public ManualResetEventSlim Gate => gate;

    [Consume("payments")]
    [Output("passed")]
    public Payment Handle(Payment payment)
    {
        gate.Wait();
        return payment;
    }
}
