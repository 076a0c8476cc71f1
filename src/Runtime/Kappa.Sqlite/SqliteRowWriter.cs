using System.Globalization;
using System.Text;
using System.Text.Json;
using Kappa.Sinks;
using SQLitePCL;

namespace Kappa.Sqlite;

/// <summary>
/// Binds one row's columns to a prepared statement through SQLitePCLRaw's raw API (no SqliteParameter, whose object
/// Value would box): integers, doubles, UTF-8 text from a reused buffer, blobs; decimals, timestamps and uuids are
/// formatted into stack buffers.
/// </summary>
internal struct SqliteRowWriter : IRowWriter
{
    /// <summary>The timestamp text: ISO-8601 UTC with microseconds, which SQLite's date functions read.</summary>
    public const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    private readonly sqlite3_stmt _statement;
    private readonly SqliteRowBuffers _buffers;
    private int _parameter;

    public SqliteRowWriter(sqlite3_stmt statement, SqliteRowBuffers buffers, int firstParameter)
    {
        _statement = statement;
        _buffers = buffers;
        _parameter = firstParameter;
    }

    public void WriteNull() => Check(raw.sqlite3_bind_null(_statement, _parameter++));

    public void WriteBoolean(bool value) => Check(raw.sqlite3_bind_int(_statement, _parameter++, value ? 1 : 0));

    public void WriteInt32(int value) => Check(raw.sqlite3_bind_int(_statement, _parameter++, value));

    public void WriteInt64(long value) => Check(raw.sqlite3_bind_int64(_statement, _parameter++, value));

    public void WriteFloat32(float value) => Check(raw.sqlite3_bind_double(_statement, _parameter++, value));

    public void WriteFloat64(double value) => Check(raw.sqlite3_bind_double(_statement, _parameter++, value));

    public void WriteDecimal(decimal value)
    {
        Span<byte> text = stackalloc byte[64];
        if (!value.TryFormat(text, out int written, default, CultureInfo.InvariantCulture))
        {
            throw new FormatException($"Cannot format decimal {value} for SQLite.");
        }

        Check(raw.sqlite3_bind_text(_statement, _parameter++, text[..written]));
    }

    public void WriteText(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Span<byte> buffer = _buffers.Utf8(Encoding.UTF8.GetMaxByteCount(value.Length));
        int n = Encoding.UTF8.GetBytes(value, buffer);
        Check(raw.sqlite3_bind_text(_statement, _parameter++, buffer[..n]));
    }

    public void WriteBytes(byte[] value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Check(value.Length == 0
            ? raw.sqlite3_bind_zeroblob(_statement, _parameter++, 0)
            : raw.sqlite3_bind_blob(_statement, _parameter++, value));
    }

    public void WriteUuid(Guid value)
    {
        Span<byte> text = stackalloc byte[36];
        value.TryFormat(text, out int written, "D");
        Check(raw.sqlite3_bind_text(_statement, _parameter++, text[..written]));
    }

    public void WriteTimestamp(DateTimeOffset value)
    {
        Span<byte> text = stackalloc byte[40];
        if (!value.UtcDateTime.TryFormat(text, out int written, TimestampFormat, CultureInfo.InvariantCulture))
        {
            throw new FormatException($"Cannot format timestamp {value:O} for SQLite.");
        }

        Check(raw.sqlite3_bind_text(_statement, _parameter++, text[..written]));
    }

    public Utf8JsonWriter BeginJson()
    {
        _buffers.Json.ResetWrittenCount();
        _buffers.JsonWriter.Reset(_buffers.Json);
        return _buffers.JsonWriter;
    }

    public void EndJson()
    {
        _buffers.JsonWriter.Flush();
        Check(raw.sqlite3_bind_text(_statement, _parameter++, _buffers.Json.WrittenSpan));
    }

    /// <summary>Binds a record key (null, or a blob) at the current parameter.</summary>
    public void WriteKey(ReadOnlySpan<byte> key, bool isNull)
    {
        Check(isNull ? raw.sqlite3_bind_null(_statement, _parameter++)
            : key.IsEmpty ? raw.sqlite3_bind_zeroblob(_statement, _parameter++, 0)
            : raw.sqlite3_bind_blob(_statement, _parameter++, key));
    }

    private readonly void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            throw new SqliteSinkException($"Binding parameter {_parameter - 1} failed: {raw.sqlite3_errstr(rc).utf8_to_string()} ({rc}).", rc);
        }
    }
}
