using System.Data.Common;
using Kappa.Tests;

namespace Kappa.Lifecycle.Tests.Infrastructure;

/// <summary>What the lifecycle tests read from a <see cref="TestDatabase"/> beyond its tables.</summary>
public static class ServingViews
{
    /// <summary>
    /// PostgreSQL: the version tables the routed view <paramref name="view"/> reads (its branches; the serving record left
    /// out), ordinal order. The serving record decides which one it serves.
    /// </summary>
    public static IReadOnlyList<string> ViewReads(this TestDatabase database, string view)
    {
        if (database.Kind != DatabaseKind.PostgreSql)
        {
            throw new InvalidOperationException("Only PostgreSQL's serving views read several tables.");
        }

        using DbConnection connection = database.Open();
        using DbCommand command = connection.CreateCommand();
        command.CommandText = "SELECT DISTINCT t.relname FROM pg_rewrite r JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid "
            + $"JOIN pg_class t ON t.oid = d.refobjid AND t.oid <> r.ev_class WHERE r.ev_class = {TestDatabase.Literal($"\"{database.Schema}\".\"{view}\"")}::regclass AND t.relname <> '_kappa_serving'";
        return TestDatabase.Strings(command);
    }
}
