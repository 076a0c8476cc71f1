namespace Kappa.Kafka.Tests;

/// <summary>Echoes each ping to its output.</summary>
[StreamProcessor("trace-echo")]
public sealed partial class TraceEcho
{
    [Consume("trace-in")]
    [Output("trace-out")]
    public TracePing Handle(TracePing ping) => ping;
}
