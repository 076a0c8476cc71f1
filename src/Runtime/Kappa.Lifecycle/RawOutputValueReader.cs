using System.Security.Cryptography;

namespace Kappa.Lifecycle;

/// <summary>Compares values by their bytes (a SHA-256 of them): outputs in plain Avro, whose writer schema is the sink type's own.</summary>
internal sealed class RawOutputValueReader : IOutputValueReader
{
    public static RawOutputValueReader Instance { get; } = new();

    public bool ShowsValues => false;

    public OutputValue Read(ReadOnlySpan<byte> value) => OutputValue.Of(Convert.ToHexString(SHA256.HashData(value)));

    public string? Show(ReadOnlySpan<byte> value) => null;
}
