using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Kappa.PostgreSql;

/// <summary>
/// Runs a transaction that takes locks readers may hold, with a short <c>lock_timeout</c> per attempt: when a lock is
/// not free in time the attempt rolls back (nothing done) and is tried again a moment later, so the transaction never
/// waits long in a lock queue (where readers arriving after it would wait behind it) and never deadlocks with readers.
/// Gives up after a deadline with the caller's error.
/// </summary>
internal static class PostgreSqlLockRetry
{
    /// <summary>
    /// Runs <paramref name="body"/> in a transaction of <paramref name="connection"/>, attempt after attempt, each with
    /// the <c>lock_timeout</c> <paramref name="wait"/> gives for the attempt (numbered from 1), until one commits or
    /// <paramref name="deadline"/> has passed; then throws <paramref name="giveUp"/>(attempts, elapsed, last error).
    /// <paramref name="prologue"/> (statements, e.g. a LOCK) runs first in the same round trip as the <c>SET LOCAL</c>.
    /// </summary>
    public static T Run<T>(NpgsqlConnection connection, Func<int, TimeSpan> wait, TimeSpan deadline, Func<NpgsqlConnection, T> body, Func<int, TimeSpan, PostgresException, Exception> giveUp, string? prologue = null)
    {
        var started = Stopwatch.StartNew();
        for (int attempt = 1; ; attempt++)
        {
            using NpgsqlTransaction transaction = connection.BeginTransaction();
            try
            {
                int milliseconds = Math.Max(1, (int)wait(attempt).TotalMilliseconds);
                using (var timeout = new NpgsqlCommand(string.Create(CultureInfo.InvariantCulture, $"SET LOCAL lock_timeout = {milliseconds}") + (prologue is null ? string.Empty : "; " + prologue), connection))
                {
                    timeout.ExecuteNonQuery();
                }

                T result = body(connection);
                transaction.Commit();
                return result;
            }
            catch (PostgresException error) when (error.SqlState == PostgresErrorCodes.LockNotAvailable)
            {
                transaction.Rollback();
                if (started.Elapsed >= deadline)
                {
                    throw giveUp(attempt, started.Elapsed, error);
                }

                Thread.Sleep(Random.Shared.Next(0, 3));
            }
        }
    }

    /// <summary>A constant wait per attempt.</summary>
    public static Func<int, TimeSpan> Constant(TimeSpan wait) => _ => wait;

    /// <summary>
    /// A wait that starts at <paramref name="first"/> and doubles each attempt up to <paramref name="most"/>: it takes a
    /// lock at the first instant nobody holds it when there is one, and under readers that never pause it queues for
    /// longer and longer (readers that arrive meanwhile wait at most the current attempt's timeout).
    /// </summary>
    public static Func<int, TimeSpan> Doubling(TimeSpan first, TimeSpan most) =>
        attempt => TimeSpan.FromTicks(Math.Min(most.Ticks, first.Ticks << Math.Min(attempt - 1, 20)));
}
