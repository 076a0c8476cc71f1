namespace Kappa.Tests;

public enum DatabaseKind
{
    Sqlite,
    PostgreSql,
}
