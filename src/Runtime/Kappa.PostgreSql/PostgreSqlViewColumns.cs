using System.Globalization;
using System.Text.RegularExpressions;

namespace Kappa.PostgreSql;

/// <summary>
/// The columns of a routed serving view over version tables whose columns differ, and what each table's branch selects
/// for them. The view's columns are the union of the tables' columns in a stable order: the view's existing columns
/// first, in their order, then each table's new columns appended, tables in the order given, each table's columns in its
/// order. An existing column keeps its type when that type holds every value of each table's column of that name
/// (<see cref="Holds"/>: integer widening, real to double precision, a numeric with at least as many integer and
/// fraction digits); when a table's type instead holds every value of the view's (the table's column is
/// <see cref="Widened">widened</see>: <c>integer</c> to <c>bigint</c>, <c>numeric(7,2)</c> to <c>numeric(12,2)</c>, ...),
/// the column takes the table's type, which <c>CREATE OR REPLACE VIEW</c> cannot do (the view must be dropped and
/// created again). A branch selects, per view column: the table's column as is when the types are equal; the column cast
/// to the view's type when that type holds the table's (values unchanged); a typed <c>NULL</c> (<c>NULL::type</c>) when
/// the table has no such column. A table column whose type and the view's column's hold not each other (text and a
/// number, <c>bigint</c> and <c>double precision</c>, two timestamps) is a <see cref="Conflicts">conflict</see>: no
/// routed view reads that table (its switch redefines the view by DDL).
/// </summary>
internal sealed partial class PostgreSqlViewColumns
{
    private PostgreSqlViewColumns(IReadOnlyList<ViewColumn> columns, IReadOnlyList<WidenedColumn> widened, IReadOnlyList<string> conflicts)
    {
        Columns = columns;
        Widened = widened;
        Conflicts = conflicts;
    }

    /// <summary>The view's columns, in order.</summary>
    public IReadOnlyList<ViewColumn> Columns { get; }

    /// <summary>The existing view columns whose type the plan widens to a table's (a change only a rebuild of the view makes), in view order.</summary>
    public IReadOnlyList<WidenedColumn> Widened { get; }

    /// <summary>Each table column whose type the view's column of that name cannot hold, described; empty when a routed view can read every table.</summary>
    public IReadOnlyList<string> Conflicts { get; }

    public bool Routable => Conflicts.Count == 0;

    /// <summary>
    /// Plans the view's columns over <paramref name="tables"/> (name and user columns, in branch order) starting from the
    /// view's existing columns <paramref name="view"/> (empty for a new view). An existing column whose type a table's
    /// column widens takes the widest such type. With <paramref name="dropUnread"/>, existing columns that no table has
    /// any more are left out (the view must then be recreated: <c>CREATE OR REPLACE VIEW</c> cannot drop columns);
    /// otherwise they stay, every branch selecting a typed NULL for them. A widened column is never narrowed back: a plan
    /// keeps an existing column's type as long as it holds every table's.
    /// </summary>
    public static PostgreSqlViewColumns Plan(IReadOnlyList<ViewColumn> view, IReadOnlyList<(string Table, IReadOnlyList<ViewColumn> Columns)> tables, bool dropUnread)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(tables);
        var read = tables.SelectMany(t => t.Columns).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var columns = view.Where(c => !dropUnread || read.Contains(c.Name)).ToList();
        var index = columns.Select((c, i) => (c.Name, i)).ToDictionary(c => c.Name, c => c.i, StringComparer.Ordinal);
        var existing = columns.ToDictionary(c => c.Name, c => c.Type, StringComparer.Ordinal);
        var conflicts = new List<string>();
        foreach ((string table, IReadOnlyList<ViewColumn> tableColumns) in tables)
        {
            foreach (ViewColumn column in tableColumns)
            {
                if (!index.TryGetValue(column.Name, out int at))
                {
                    index[column.Name] = columns.Count;
                    columns.Add(column);
                }
                else if (!Holds(columns[at].Type, column.Type))
                {
                    if (Holds(column.Type, columns[at].Type))
                    {
                        // Widened: the wider type holds every type the column held (Holds is transitive), so no earlier table conflicts.
                        columns[at] = column;
                    }
                    else
                    {
                        conflicts.Add($"column \"{column.Name}\" is {column.Type} in {table}, and the view's {columns[at].Type} cannot hold every value of it, nor it every value of the view's");
                    }
                }
            }
        }

        WidenedColumn[] widened = columns
            .Where(c => existing.TryGetValue(c.Name, out string? type) && type != c.Type)
            .Select(c => new WidenedColumn(c.Name, existing[c.Name], c.Type))
            .ToArray();
        return new PostgreSqlViewColumns(columns, widened, conflicts);
    }

    /// <summary>
    /// The select list of the branch over a table with <paramref name="tableColumns"/>: one expression per view column,
    /// named as the column. Throws when the plan has a conflict with the table.
    /// </summary>
    public string SelectList(string table, IReadOnlyList<ViewColumn> tableColumns)
    {
        var byName = tableColumns.ToDictionary(c => c.Name, StringComparer.Ordinal);
        return string.Join(", ", Columns.Select(view =>
        {
            string name = PostgreSqlIdentifier.Quote(view.Name);
            if (!byName.TryGetValue(view.Name, out ViewColumn column))
            {
                return $"NULL::{view.Type} AS {name}";
            }

            return column.Type == view.Type ? name
                : Holds(view.Type, column.Type) ? $"{name}::{view.Type} AS {name}"
                : throw new InvalidOperationException($"The routed view cannot read {table}: its column \"{view.Name}\" is {column.Type}, and the view's {view.Type} cannot hold every value of it.");
        }));
    }

    /// <summary>
    /// Whether a column of <paramref name="viewType"/> holds every value of <paramref name="tableType"/> unchanged (types as
    /// <c>format_type</c> writes them): the same type; <c>smallint</c> in <c>integer</c>, <c>bigint</c>,
    /// <c>real</c> or <c>double precision</c>; <c>integer</c> in <c>bigint</c> or <c>double precision</c>; <c>real</c> in
    /// <c>double precision</c>; an integer type in a <c>numeric(p,s)</c> with at least its digits before the point
    /// (5, 10, 19), or in <c>numeric</c>; <c>numeric(p1,s1)</c> in <c>numeric</c>, or in <c>numeric(p2,s2)</c> when <c>s2 &gt;= s1</c> and <c>p2 - s2 &gt;= p1 - s1</c>.
    /// Anything else (a narrower type, text and a number, two timestamps) does not.
    /// </summary>
    public static bool Holds(string viewType, string tableType)
    {
        if (viewType == tableType)
        {
            return true;
        }

        if (viewType == "numeric")
        {
            return Numeric(tableType) is not null || IntegerDigits(tableType) is not null;
        }

        if (Numeric(viewType) is (int viewPrecision, int viewScale))
        {
            return Numeric(tableType) is (int precision, int scale)
                ? viewScale >= scale && viewPrecision - viewScale >= precision - scale
                : IntegerDigits(tableType) is int digits && viewPrecision - viewScale >= digits;
        }

        return (tableType, viewType) switch
        {
            ("smallint", "integer" or "bigint" or "real" or "double precision") => true,
            ("integer", "bigint" or "double precision") => true,
            ("real", "double precision") => true,
            _ => false,
        };
    }

    /// <summary>The decimal digits every value of an integer type fits in.</summary>
    private static int? IntegerDigits(string type) => type switch
    {
        "smallint" => 5,
        "integer" => 10,
        "bigint" => 19,
        _ => null,
    };

    /// <summary>The precision and scale of <c>numeric(p,s)</c>; null for other types and for <c>numeric</c> without them.</summary>
    private static (int Precision, int Scale)? Numeric(string type)
    {
        Match match = NumericType().Match(type);
        return match.Success
            ? (int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture), int.Parse(match.Groups[2].ValueSpan, CultureInfo.InvariantCulture))
            : null;
    }

    [GeneratedRegex(@"^numeric\(([0-9]{1,4}),([0-9]{1,4})\)$", RegexOptions.CultureInvariant)]
    private static partial Regex NumericType();
}

/// <summary>An existing column of a routed view whose type a plan widens: its name, the view's type and the wider one.</summary>
internal readonly record struct WidenedColumn(string Name, string From, string To);
