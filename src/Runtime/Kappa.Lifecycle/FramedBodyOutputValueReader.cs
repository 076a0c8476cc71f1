using System.Security.Cryptography;
using Kappa.Avro;

namespace Kappa.Lifecycle;

/// <summary>
/// Compares Confluent-framed values by their Avro body bytes, ignoring the schema id: used when only one of the two
/// versions frames a sink's output, so the other side's plain Avro body is what the framed body is compared with.
/// </summary>
internal sealed class FramedBodyOutputValueReader : IOutputValueReader
{
    public static FramedBodyOutputValueReader Instance { get; } = new();

    public bool ShowsValues => false;

    public OutputValue Read(ReadOnlySpan<byte> value)
    {
        try
        {
            ConfluentWireFormat.ReadHeader(value, out ReadOnlySpan<byte> body);
            return OutputValue.Of(Convert.ToHexString(SHA256.HashData(body)));
        }
        catch (ConfluentWireFormatException e)
        {
            return OutputValue.Unreadable(e.Message);
        }
    }

    public string? Show(ReadOnlySpan<byte> value) => null;
}
