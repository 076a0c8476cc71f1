using Kappa.Log;
using static Kappa.Log.Tests.LogTestSupport;

namespace Kappa.Log.Tests;

public class LogDirectoryLockTests
{
    [Fact]
    public void AnotherProcess_CannotLockAnOpenLogDirectory()
    {
        using var dir = new TempDir();
        const string script = """
import fcntl, sys
f = open(sys.argv[1], 'r+')
try:
    fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
    print('acquired')
except BlockingIOError:
    print('busy')
""";
        string lockPath = Path.Combine(dir.Path, EmbeddedLog.LockFileName);
        using (EmbeddedLog.Open(LogTestSupport.Options(dir.Path)))
        {
            Assert.Equal("busy", PythonRunner.Run(script, string.Empty, lockPath).Trim());
        }

        Assert.Equal("acquired", PythonRunner.Run(script, string.Empty, lockPath).Trim());
    }
}
