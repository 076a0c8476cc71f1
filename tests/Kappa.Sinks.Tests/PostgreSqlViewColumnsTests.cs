using Kappa.PostgreSql;

namespace Kappa.Sinks.Tests;

/// <summary>
/// The column plan of a routed view whose version tables' columns differ (no database): the view keeps its columns in
/// their order and types and appends new ones; a branch selects a typed NULL for a column its table lacks and a cast for
/// a narrower type; a wider type widens the view's column (the other branches cast up); a type neither held by the
/// view's column nor holding it is a conflict; retire's plan leaves out the columns no table has any more and keeps a
/// widened type.
/// </summary>
public sealed class PostgreSqlViewColumnsTests
{
    private static readonly ViewColumn[] Ledger = [new("entry_id", "bigint"), new("account", "text"), new("amount", "numeric(7,2)"), new("memo", "text")];

    [Fact]
    public void AddedColumnsAreAppendedAndNullInTheBranchesThatLackThem()
    {
        ViewColumn[] withRegion = [new("region", "text"), .. Ledger];
        PostgreSqlViewColumns plan = PostgreSqlViewColumns.Plan(Ledger, [("t_v1", Ledger), ("t_v2", withRegion)], dropUnread: false);

        Assert.True(plan.Routable);
        Assert.Equal(["entry_id", "account", "amount", "memo", "region"], plan.Columns.Select(c => c.Name));
        Assert.Equal("\"entry_id\", \"account\", \"amount\", \"memo\", NULL::text AS \"region\"", plan.SelectList("t_v1", Ledger));
        Assert.Equal("\"entry_id\", \"account\", \"amount\", \"memo\", \"region\"", plan.SelectList("t_v2", withRegion));
    }

    [Fact]
    public void ADroppedColumnStaysUntilNoTableHasItAndThenOnlyARetirePlanLeavesItOut()
    {
        ViewColumn[] withoutMemo = Ledger[..3];
        PostgreSqlViewColumns prepared = PostgreSqlViewColumns.Plan(Ledger, [("t_v2", withoutMemo)], dropUnread: false);
        Assert.Equal(Ledger, prepared.Columns);
        Assert.Equal("\"entry_id\", \"account\", \"amount\", NULL::text AS \"memo\"", prepared.SelectList("t_v2", withoutMemo));

        Assert.Equal(Ledger, PostgreSqlViewColumns.Plan(Ledger, [("t_v1", Ledger), ("t_v2", withoutMemo)], dropUnread: true).Columns);
        Assert.Equal(withoutMemo, PostgreSqlViewColumns.Plan(Ledger, [("t_v2", withoutMemo)], dropUnread: true).Columns);
    }

    [Fact]
    public void ANarrowerTypeIsCastToTheViewsAndAWiderOneWidensTheViewsColumn()
    {
        ViewColumn[] narrow = [new("entry_id", "integer"), new("account", "text"), new("amount", "numeric(5,2)"), new("memo", "text")];
        PostgreSqlViewColumns cast = PostgreSqlViewColumns.Plan(Ledger, [("t_v3", narrow)], dropUnread: false);
        Assert.True(cast.Routable);
        Assert.Equal(Ledger, cast.Columns);
        Assert.Empty(cast.Widened);
        Assert.Equal("\"entry_id\"::bigint AS \"entry_id\", \"account\", \"amount\"::numeric(7,2) AS \"amount\", \"memo\"", cast.SelectList("t_v3", narrow));

        // numeric(12,2) holds every numeric(7,2): the view's column takes it, in place, and the other branches cast up.
        ViewColumn[] wide = [new("entry_id", "bigint"), new("account", "text"), new("amount", "numeric(12,2)")];
        PostgreSqlViewColumns widened = PostgreSqlViewColumns.Plan(Ledger, [("t_v1", Ledger), ("t_v4", wide)], dropUnread: false);
        Assert.True(widened.Routable);
        Assert.Equal([new("entry_id", "bigint"), new("account", "text"), new("amount", "numeric(12,2)"), new("memo", "text")], widened.Columns);
        Assert.Equal([new WidenedColumn("amount", "numeric(7,2)", "numeric(12,2)")], widened.Widened);
        Assert.Equal("\"entry_id\", \"account\", \"amount\"::numeric(12,2) AS \"amount\", \"memo\"", widened.SelectList("t_v1", Ledger));
        Assert.Equal("\"entry_id\", \"account\", \"amount\", NULL::text AS \"memo\"", widened.SelectList("t_v4", wide));

        // Widened twice, in branch order: the widest type wins, and a narrower table later is cast up to it.
        PostgreSqlViewColumns twice = PostgreSqlViewColumns.Plan(
            [new("n", "smallint")],
            [("t_v1", [new("n", "smallint")]), ("t_v2", [new("n", "integer")]), ("t_v3", [new("n", "bigint")]), ("t_v4", [new("n", "integer")])],
            dropUnread: false);
        Assert.Equal([new ViewColumn("n", "bigint")], twice.Columns);
        Assert.Equal([new WidenedColumn("n", "smallint", "bigint")], twice.Widened);
        Assert.Equal("\"n\"::bigint AS \"n\"", twice.SelectList("t_v4", [new("n", "integer")]));

        // Retire's plan over the narrow table alone keeps the wide type: a plan never narrows an existing column.
        PostgreSqlViewColumns retired = PostgreSqlViewColumns.Plan(widened.Columns, [("t_v1", Ledger)], dropUnread: true);
        Assert.Equal(widened.Columns, retired.Columns);
        Assert.Empty(retired.Widened);

        // A column new to the view widened by a later table is appended with the wider type: nothing existing changes.
        PostgreSqlViewColumns appended = PostgreSqlViewColumns.Plan(Ledger, [("t_v2", [.. Ledger, new("region_id", "integer")]), ("t_v3", [.. Ledger, new("region_id", "bigint")])], dropUnread: false);
        Assert.Equal(new ViewColumn("region_id", "bigint"), appended.Columns[^1]);
        Assert.Empty(appended.Widened);
    }

    [Fact]
    public void ATypeThatNeitherHoldsNorIsHeldByTheViewsIsAConflict()
    {
        ViewColumn[] retyped = [new("entry_id", "double precision"), new("account", "bigint"), new("amount", "numeric(7,3)")];
        PostgreSqlViewColumns conflict = PostgreSqlViewColumns.Plan(Ledger, [("t_v4", retyped)], dropUnread: false);
        Assert.False(conflict.Routable);
        Assert.Equal(
            [
                "column \"entry_id\" is double precision in t_v4, and the view's bigint cannot hold every value of it, nor it every value of the view's",
                "column \"account\" is bigint in t_v4, and the view's text cannot hold every value of it, nor it every value of the view's",
                "column \"amount\" is numeric(7,3) in t_v4, and the view's numeric(7,2) cannot hold every value of it, nor it every value of the view's",
            ],
            conflict.Conflicts);
        var error = Assert.Throws<InvalidOperationException>(() => conflict.SelectList("t_v4", retyped));
        Assert.Contains("t_v4", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A widened view column must hold every type it held before: <see cref="PostgreSqlViewColumns.Holds"/> is transitive.</summary>
    [Fact]
    public void HoldsIsTransitive()
    {
        string[] types = ["smallint", "integer", "bigint", "real", "double precision", "numeric", "numeric(5,0)", "numeric(7,2)", "numeric(9,3)", "numeric(12,2)", "numeric(12,4)", "numeric(21,2)", "numeric(30,10)", "text"];
        var broken = from a in types
                     from b in types
                     from c in types
                     where PostgreSqlViewColumns.Holds(b, a) && PostgreSqlViewColumns.Holds(c, b) && !PostgreSqlViewColumns.Holds(c, a)
                     select $"{a} <= {b} <= {c}";
        Assert.Empty(broken);
        Assert.True(PostgreSqlViewColumns.Holds("numeric(21,2)", "smallint")); // the check has chains to break
    }

    [Theory]
    [InlineData("bigint", "integer", true)]
    [InlineData("bigint", "smallint", true)]
    [InlineData("integer", "bigint", false)]
    [InlineData("double precision", "real", true)]
    [InlineData("double precision", "integer", true)]
    [InlineData("double precision", "bigint", false)] // 2^53 + 1 has no double
    [InlineData("real", "integer", false)]
    [InlineData("real", "double precision", false)]
    [InlineData("numeric(12,2)", "numeric(7,2)", true)]
    [InlineData("numeric(12,4)", "numeric(7,2)", true)]
    [InlineData("numeric(7,2)", "numeric(7,3)", false)] // one more fraction digit would be rounded
    [InlineData("numeric(7,2)", "numeric(8,2)", false)]
    [InlineData("numeric(12,2)", "integer", true)]
    [InlineData("numeric(11,2)", "integer", false)]
    [InlineData("numeric(21,2)", "bigint", true)]
    [InlineData("numeric", "numeric(30,10)", true)]
    [InlineData("numeric", "bigint", true)]
    [InlineData("numeric(7,2)", "numeric", false)]
    [InlineData("text", "bigint", false)]
    [InlineData("bigint", "text", false)]
    [InlineData("timestamp with time zone", "timestamp with time zone", true)]
    [InlineData("jsonb", "text", false)]
    public void HoldsOnlyWhatTheViewsTypeRepresentsUnchanged(string view, string table, bool holds) =>
        Assert.Equal(holds, PostgreSqlViewColumns.Holds(view, table));
}
