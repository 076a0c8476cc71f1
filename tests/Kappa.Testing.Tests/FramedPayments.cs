namespace Kappa.Testing.Tests;

/// <summary>Confluent-framed in and out: doubles each payment.</summary>
[StreamProcessor("framed-payments")]
public sealed partial class FramedPayments
{
    [Consume("payments", Format = ValueFormat.ConfluentAvro)]
    [Output("doubled", Format = ValueFormat.ConfluentAvro)]
    public Payment Handle(Payment payment) => payment with { Cents = payment.Cents * 2 };
}
