namespace Kappa;

/// <summary>Precision and scale of a <see cref="decimal"/> member, written as Avro's <c>decimal</c> logical type on <c>bytes</c>.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter, AllowMultiple = false)]
public sealed class AvroDecimalAttribute : Attribute
{
    public AvroDecimalAttribute(int precision, int scale)
    {
        Precision = precision;
        Scale = scale;
    }

    public int Precision { get; }

    public int Scale { get; }
}
