namespace Kappa;

/// <summary>Avro timestamp logical types.</summary>
public enum AvroTimestampPrecision
{
    /// <summary><c>timestamp-millis</c> (the default).</summary>
    Millis,

    /// <summary><c>timestamp-micros</c>.</summary>
    Micros,
}
