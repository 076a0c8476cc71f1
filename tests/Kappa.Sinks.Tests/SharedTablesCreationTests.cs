using Kappa.PostgreSql;
using Kappa.Sinks.Tests.Infrastructure;

namespace Kappa.Sinks.Tests;

/// <summary>
/// Kappa's shared tables (offsets, serving records) are created by whoever comes first: writers opening their tables,
/// switches, and the lifecycle's reads, from several processes at once. PostgreSQL's CREATE ... IF NOT EXISTS is not
/// safe against a concurrent creator of the same object (a unique violation on the catalog), so creators serialize.
/// </summary>
public sealed class SharedTablesCreationTests
{
    [Fact]
    public void ManyClientsReadingAFreshSchemaAtOnceAllSucceed()
    {
        for (int round = 0; round < 5; round++)
        {
            using var db = TestDatabase.Create(DatabaseKind.PostgreSql);
            const int clients = 8;
            var databases = Enumerable.Range(0, clients).Select(_ => new PostgreSqlSinkDatabase(PostgresServer.ConnectionString, db.Schema!)).ToArray();
            using var start = new Barrier(clients);
            var errors = new List<Exception>();
            var threads = databases.Select((database, i) => new Thread(() =>
            {
                try
                {
                    start.SignalAndWait();
                    if (i % 2 == 0)
                    {
                        Assert.Empty(database.GetCommittedOffsets(new SinkTarget("ledger", 1)));
                    }
                    else
                    {
                        Assert.Null(database.GetServingVersion("ledger"));
                    }
                }
                catch (Exception error)
                {
                    lock (errors)
                    {
                        errors.Add(error);
                    }
                }
            })).ToArray();
            foreach (Thread thread in threads)
            {
                thread.Start();
            }

            foreach (Thread thread in threads)
            {
                Assert.True(thread.Join(TimeSpan.FromSeconds(60)), "a client did not finish");
            }

            foreach (PostgreSqlSinkDatabase database in databases)
            {
                database.Dispose();
            }

            Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => e.Message)));
            Assert.True(db.TableExists("_kappa_offsets") && db.TableExists("_kappa_serving"));
        }
    }
}
