using System.Text.Json;
using Kappa.Sinks;
using Npgsql;
using NpgsqlTypes;

namespace Kappa.PostgreSql;

/// <summary>
/// Writes one row's columns into a binary COPY through Npgsql's generic <see cref="NpgsqlBinaryImporter.Write{T}(T, NpgsqlDbType)"/>
/// (no boxing). Timestamps are sent as UTC instants; JSON as jsonb.
/// </summary>
internal readonly struct PostgreSqlRowWriter : IRowWriter
{
    private readonly NpgsqlBinaryImporter _importer;
    private readonly PostgreSqlRowBuffers _buffers;

    public PostgreSqlRowWriter(NpgsqlBinaryImporter importer, PostgreSqlRowBuffers buffers)
    {
        _importer = importer;
        _buffers = buffers;
    }

    public void WriteNull() => _importer.WriteNull();

    public void WriteBoolean(bool value) => _importer.Write(value, NpgsqlDbType.Boolean);

    public void WriteInt32(int value) => _importer.Write(value, NpgsqlDbType.Integer);

    public void WriteInt64(long value) => _importer.Write(value, NpgsqlDbType.Bigint);

    public void WriteFloat32(float value) => _importer.Write(value, NpgsqlDbType.Real);

    public void WriteFloat64(double value) => _importer.Write(value, NpgsqlDbType.Double);

    public void WriteDecimal(decimal value) => _importer.Write(value, NpgsqlDbType.Numeric);

    public void WriteText(string value) => _importer.Write(value, NpgsqlDbType.Text);

    public void WriteBytes(byte[] value) => _importer.Write(value, NpgsqlDbType.Bytea);

    public void WriteUuid(Guid value) => _importer.Write(value, NpgsqlDbType.Uuid);

    public void WriteTimestamp(DateTimeOffset value) => _importer.Write(value.ToUniversalTime(), NpgsqlDbType.TimestampTz);

    public Utf8JsonWriter BeginJson()
    {
        _buffers.Json.ResetWrittenCount();
        _buffers.JsonWriter.Reset(_buffers.Json);
        return _buffers.JsonWriter;
    }

    public void EndJson() => _importer.Write(_buffers.JsonText(), NpgsqlDbType.Jsonb);

    /// <summary>The record key (bytea or null).</summary>
    public void WriteKey(ReadOnlyMemory<byte> key, bool isNull)
    {
        if (isNull)
        {
            _importer.WriteNull();
        }
        else
        {
            _importer.Write(key, NpgsqlDbType.Bytea);
        }
    }
}
