using System.Buffers;
using System.Text.Json;

namespace Kappa.Sqlite;

/// <summary>Reusable scratch space of one writer session: UTF-8 text and the JSON writer, so binding a row allocates nothing.</summary>
internal sealed class SqliteRowBuffers
{
    private byte[] _utf8 = new byte[1024];

    public ArrayBufferWriter<byte> Json { get; } = new(1024);

    public Utf8JsonWriter JsonWriter { get; }

    public SqliteRowBuffers()
    {
        JsonWriter = new Utf8JsonWriter(Json, new JsonWriterOptions { SkipValidation = false });
    }

    /// <summary>A buffer of at least <paramref name="length"/> bytes (grown, never shrunk).</summary>
    public Span<byte> Utf8(int length)
    {
        if (_utf8.Length < length)
        {
            _utf8 = new byte[Math.Max(length, _utf8.Length * 2)];
        }

        return _utf8;
    }
}
