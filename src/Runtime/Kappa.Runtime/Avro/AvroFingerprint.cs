namespace Kappa.Avro;

/// <summary>CRC-64-AVRO, the Rabin fingerprint the Avro specification defines over a schema's Parsing Canonical Form.</summary>
public static class AvroFingerprint
{
    /// <summary>The spec's EMPTY value: the fingerprint of zero bytes.</summary>
    public const ulong Empty = Crc64Avro.Empty;

    /// <summary>Fingerprint of the UTF-8 bytes of <paramref name="canonicalJson"/> (which should be in Parsing Canonical Form).</summary>
    public static long Compute(string canonicalJson)
    {
        ArgumentNullException.ThrowIfNull(canonicalJson);
        return Crc64Avro.Compute(canonicalJson);
    }

    /// <summary>Fingerprint of raw bytes.</summary>
    public static long Compute(ReadOnlySpan<byte> bytes) => Crc64Avro.Compute(bytes);
}
