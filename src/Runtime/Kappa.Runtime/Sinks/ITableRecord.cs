namespace Kappa.Sinks;

/// <summary>
/// Implemented by the generator on every <see cref="ServingTableAttribute"/> type (which is also an
/// <see cref="Avro.IAvroRecord{TSelf}"/>, the codec its topic is read with). Static members, so databases bind rows
/// without reflection, boxing or virtual dispatch.
/// </summary>
public interface ITableRecord<T>
    where T : ITableRecord<T>
{
    /// <summary>The table's columns, key and indexes (construct it once; it is read when a writer opens its table).</summary>
    static abstract TableSchema TableSchema { get; }

    /// <summary>Writes the value's columns, one call per column of <see cref="TableSchema"/> in order.</summary>
    static abstract void WriteRow<TWriter>(in T value, ref TWriter writer)
        where TWriter : struct, IRowWriter;
}
