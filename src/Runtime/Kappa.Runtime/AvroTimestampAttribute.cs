namespace Kappa;

/// <summary>
/// Chooses the Avro logical type of a <see cref="DateTime"/>, <see cref="DateTimeOffset"/> or <see cref="TimeOnly"/>
/// member: its precision (<c>timestamp-millis</c>/<c>-micros</c>, <c>time-millis</c>/<c>-micros</c>) and, for
/// <see cref="DateTime"/> only, <see cref="Local"/> (<c>local-timestamp-millis</c>/<c>-micros</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter, AllowMultiple = false)]
public sealed class AvroTimestampAttribute : Attribute
{
    /// <summary>Milliseconds.</summary>
    public AvroTimestampAttribute()
    {
    }

    public AvroTimestampAttribute(AvroTimestampPrecision precision)
    {
        Precision = precision;
    }

    public AvroTimestampPrecision Precision { get; }

    /// <summary>
    /// A wall-clock time with no time zone (<c>local-timestamp-*</c>): the <see cref="DateTime"/>'s ticks are written as
    /// they are, whatever its <see cref="DateTime.Kind"/>, and decoding gives <see cref="DateTimeKind.Unspecified"/>.
    /// </summary>
    public bool Local { get; set; }
}
