namespace Kappa.Integration.Tests.Interop;

/// <summary>A generated processor run on Kafka by <see cref="KafkaProcessorInteropTests"/>.</summary>
[StreamProcessor("heat-alerts", Version = 1)]
public partial class HeatAlerts
{
    [Consume("readings")]
    [Output("heat-alerts")]
    public HeatAlert? Handle(Reading reading, RecordContext ctx)
    {
        if (reading.Celsius < 30)
        {
            return null;
        }

        string level = reading.Celsius >= 44 ? "critical" : "warning";
        return new HeatAlert(reading.SensorId, (reading.Celsius * 9 / 5) + 32, level, ctx.Offset, reading.At, reading.Tags.Count);
    }
}
