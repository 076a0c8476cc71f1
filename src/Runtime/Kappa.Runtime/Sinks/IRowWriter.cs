using System.Text.Json;

namespace Kappa.Sinks;

/// <summary>
/// A database's sink for one row. <see cref="ITableRecord{T}.WriteRow"/> calls exactly one write per column of
/// <see cref="TableSchema.Columns"/>, in column order. Databases implement it as a struct, so generated code binds values
/// through constrained calls: no boxing, no interface dispatch per value.
/// </summary>
public interface IRowWriter
{
    void WriteNull();

    void WriteBoolean(bool value);

    void WriteInt32(int value);

    void WriteInt64(long value);

    void WriteFloat32(float value);

    void WriteFloat64(double value);

    /// <summary>A decimal; the database refuses (and dead-letters) a value that does not fit the column's precision and scale.</summary>
    void WriteDecimal(decimal value);

    void WriteText(string value);

    void WriteBytes(byte[] value);

    void WriteUuid(Guid value);

    /// <summary>An instant; stored in UTC whatever the offset.</summary>
    void WriteTimestamp(DateTimeOffset value);

    /// <summary>
    /// Starts a JSON value (nested records, lists, maps): write exactly one JSON value into the returned writer, then call
    /// <see cref="EndJson"/>. The writer and its buffer belong to the row writer and are reused for every value.
    /// </summary>
    Utf8JsonWriter BeginJson();

    void EndJson();
}
