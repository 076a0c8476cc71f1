namespace Kappa.Log.Transactions;

/// <summary>The state a transaction-log record states for a transactional id (stored as one byte).</summary>
internal enum TransactionStatus : byte
{
    /// <summary>Registered by InitTransactions (a new epoch); no transaction in progress.</summary>
    Empty = 0,

    /// <summary>A commit started: its batches are being written to the listed partitions from the listed offsets.</summary>
    Prepare = 1,

    /// <summary>The commit point: the transaction's batches and offsets are part of the log.</summary>
    Committed = 2,

    /// <summary>A prepared transaction was rolled back (its partitions truncated to the listed offsets).</summary>
    Aborted = 3,
}
