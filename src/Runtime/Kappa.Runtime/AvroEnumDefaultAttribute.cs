namespace Kappa;

/// <summary>
/// The Avro enum-level <c>default</c> of a C# enum used by <c>[AvroRecord]</c> types: the symbol (a member name of the
/// enum, best given with <c>nameof</c>) a reader maps a writer's symbol to when its enum lacks that symbol, so data
/// written with a newer enum that has more members still reads. Without it such data fails to decode. Emitted as
/// <c>"default"</c> in the enum's schema (after <c>"symbols"</c>); the Parsing Canonical Form drops it, so adding or
/// changing it keeps the schema's fingerprint. A name that is not a member of the enum is a build error (KAPPA016).
/// </summary>
/// <example><code>
/// [AvroEnumDefault(nameof(OrderStatus.Unknown))]
/// public enum OrderStatus { Unknown, Placed, Shipped }
/// </code></example>
[AttributeUsage(AttributeTargets.Enum, AllowMultiple = false)]
public sealed class AvroEnumDefaultAttribute : Attribute
{
    public AvroEnumDefaultAttribute(string symbol)
    {
        Symbol = symbol;
    }

    /// <summary>The default symbol: the name of one of the enum's members.</summary>
    public string Symbol { get; }
}
