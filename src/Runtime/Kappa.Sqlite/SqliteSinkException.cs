namespace Kappa.Sqlite;

/// <summary>SQLite failed in a way that is not about one row (I/O, a locked or corrupt database): the batch is not committed and the writer retries.</summary>
public sealed class SqliteSinkException : Exception
{
    public SqliteSinkException(string message, int resultCode)
        : base(message)
    {
        ResultCode = resultCode;
    }

    /// <summary>SQLite's (extended) result code.</summary>
    public int ResultCode { get; }
}
