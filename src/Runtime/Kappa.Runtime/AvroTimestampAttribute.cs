namespace Kappa;

/// <summary>Chooses the Avro logical type of a <see cref="DateTime"/> or <see cref="DateTimeOffset"/> member.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter, AllowMultiple = false)]
public sealed class AvroTimestampAttribute : Attribute
{
    public AvroTimestampAttribute(AvroTimestampPrecision precision)
    {
        Precision = precision;
    }

    public AvroTimestampPrecision Precision { get; }
}
