using Kappa.Lifecycle.Tests.Model;
using Kappa.Log;
using Kappa.Sqlite;

namespace Kappa.Lifecycle.Tests.Infrastructure;

/// <summary>
/// An embedded log and a SQLite file as the tool finds them: v1 of <c>amounts</c> caught up, verified and serving; v2
/// deployed but not run yet (300 records behind). The log is closed, so the tool can open it.
/// </summary>
public sealed class CliWorld : IDisposable
{
    public CliWorld()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("kappa-cli-").FullName;
        LogDirectory = Path.Combine(Directory, "log");
        SqliteFile = Path.Combine(Directory, "serving.db");
        var database = new SqliteSinkDatabase(SqliteFile);
        using var transport = new EmbeddedLogTransport(new EmbeddedLogOptions { Directory = LogDirectory, FsyncPolicy = FsyncPolicy.Never });
        var lifecycle = new KappaLifecycle(transport, database, new LifecycleOptions { Instance = "setup" });
        Sales.Produce(transport, 0, 300);
        lifecycle.Deploy(AmountsV1.KappaDescriptor);
        using (VersionRun<CustomerAmount> v1 = VersionRun<CustomerAmount>.Start(new AmountsV1(), transport, database))
        {
            Wait.Until(() => lifecycle.Status().Processors[0].Versions[0].Lag, lag => lag == 0, "v1 caught up", check: v1.ThrowIfFailed);
            Wait.TableCaughtUp(lifecycle, 1, v1.ThrowIfFailed);
            v1.Stop();
        }

        lifecycle.ObserveCaughtUp();
        lifecycle.Verify(() => new AmountsV1());
        lifecycle.Promote(AmountsV1.Name, 1);
        lifecycle.Deploy(AmountsV2.KappaDescriptor);
    }

    public string Directory { get; }

    public string LogDirectory { get; }

    public string SqliteFile { get; }

    public string[] Connect => ["--log", LogDirectory, "--sqlite", SqliteFile];

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
