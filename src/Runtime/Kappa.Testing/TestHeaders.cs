using System.Text;
using Kappa.Transport;

namespace Kappa.Testing;

/// <summary>Converts between Kafka's header encoding and the name/value lists the driver shows.</summary>
internal static class TestHeaders
{
    public static IReadOnlyList<KeyValuePair<string, byte[]?>> Decode(byte[] encoded)
    {
        var headers = new List<KeyValuePair<string, byte[]?>>();
        foreach (RecordHeader header in new RecordHeaders(encoded))
        {
            headers.Add(new(header.KeyString, header.ValueIsNull ? null : header.Value.ToArray()));
        }

        return headers;
    }

    public static byte[] Encode(IEnumerable<KeyValuePair<string, byte[]?>>? headers)
    {
        if (headers is null)
        {
            return [];
        }

        var writer = new RecordHeadersWriter();
        foreach (var (name, value) in headers)
        {
            ArgumentException.ThrowIfNullOrEmpty(name, "header name");
            if (value is null)
            {
                writer.Add(name, (string?)null);
            }
            else
            {
                writer.Add(name, value);
            }
        }

        return writer.Encoded.ToArray();
    }

    public static IEnumerable<KeyValuePair<string, byte[]?>>? FromText(IEnumerable<KeyValuePair<string, string?>>? headers) =>
        headers?.Select(h => new KeyValuePair<string, byte[]?>(h.Key, h.Value is null ? null : Encoding.UTF8.GetBytes(h.Value)));

    public static string? Last(IReadOnlyList<KeyValuePair<string, byte[]?>> headers, string name)
    {
        for (int i = headers.Count - 1; i >= 0; i--)
        {
            if (string.Equals(headers[i].Key, name, StringComparison.Ordinal))
            {
                return headers[i].Value is { } value ? Encoding.UTF8.GetString(value) : null;
            }
        }

        return null;
    }
}
