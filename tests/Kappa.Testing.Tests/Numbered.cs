namespace Kappa.Testing.Tests;

/// <summary>Not deterministic on purpose: numbers outputs with a counter shared by every instance.</summary>
[StreamProcessor("numbered")]
public sealed partial class Numbered
{
    private static long s_next;

    [Consume("payments")]
    [Output("numbered")]
    public Payment Handle(Payment payment) => payment with { Cents = Interlocked.Increment(ref s_next) };
}
