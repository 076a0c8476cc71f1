namespace Kappa.Sinks.Tests.Infrastructure;

public enum DatabaseKind
{
    Sqlite,
    PostgreSql,
}
