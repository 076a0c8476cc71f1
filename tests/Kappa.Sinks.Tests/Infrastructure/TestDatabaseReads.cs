using Kappa.Sinks;
using Kappa.Tests;

namespace Kappa.Sinks.Tests.Infrastructure;

/// <summary>What the sink tests read from a <see cref="TestDatabase"/>: rows in <see cref="Canonical"/> text form and committed offsets.</summary>
public static class TestDatabaseReads
{
    /// <summary>Runs a query and returns each row as canonical strings, one per column of <paramref name="types"/>.</summary>
    public static List<string[]> Query(this TestDatabase database, string sql, IReadOnlyList<TableColumnType> types)
    {
        var rows = new List<string[]>();
        using System.Data.Common.DbConnection connection = database.Open();
        using System.Data.Common.DbCommand command = connection.CreateCommand();
        command.CommandText = sql;
        using System.Data.Common.DbDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            var row = new string[types.Count];
            for (int i = 0; i < types.Count; i++)
            {
                row[i] = Canonical.Of(reader.IsDBNull(i) ? null : reader.GetValue(i), types[i]);
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>The sum of the next offsets the table committed (equals the topic's record count once caught up).</summary>
    public static long CommittedOffsets(this TestDatabase database, string table) =>
        database.TableExists("_kappa_offsets")
            ? database.Scalar($"SELECT coalesce(sum(next_offset), 0) FROM {database.Relation("_kappa_offsets")} WHERE table_name = {TestDatabase.Literal(table)}")
            : 0;
}
