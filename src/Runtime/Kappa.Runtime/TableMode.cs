namespace Kappa;

/// <summary>How a <see cref="ServingTableAttribute"/> table materializes its topic.</summary>
public enum TableMode
{
    /// <summary>
    /// One row per key: the latest value of each key (the <see cref="TableKeyAttribute"/> members) wins; a tombstone (a
    /// record with a null value) deletes the rows its record key wrote.
    /// </summary>
    Upsert,

    /// <summary>Every record is a row, identified by its partition and offset; tombstones have no row (they are dead-lettered).</summary>
    Append,
}
