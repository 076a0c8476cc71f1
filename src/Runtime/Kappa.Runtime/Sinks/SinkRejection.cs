namespace Kappa.Sinks;

/// <summary>A row of a batch the database refused: its index in the batch and the database's reason.</summary>
/// <param name="Row">Index of the row in its <see cref="SinkBatch{T}"/>.</param>
/// <param name="Message">The database's error message.</param>
/// <param name="Code">The database's error code (PostgreSQL SQLSTATE, SQLite extended result code).</param>
/// <param name="ExceptionType">Full type name of the database's exception.</param>
public readonly record struct SinkRejection(int Row, string Message, string Code, string ExceptionType);
