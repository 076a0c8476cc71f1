using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Kappa.PostgreSql;

/// <summary>The reusable JSON writer and buffer of one writer session.</summary>
internal sealed class PostgreSqlRowBuffers : IDisposable
{
    public PostgreSqlRowBuffers()
    {
        JsonWriter = new Utf8JsonWriter(Json);
    }

    public ArrayBufferWriter<byte> Json { get; } = new(1024);

    public Utf8JsonWriter JsonWriter { get; }

    /// <summary>The JSON written since <see cref="Utf8JsonWriter.Reset()"/> as text (Npgsql writes jsonb from a string).</summary>
    public string JsonText()
    {
        JsonWriter.Flush();
        return Encoding.UTF8.GetString(Json.WrittenSpan);
    }

    public void Dispose() => JsonWriter.Dispose();
}
