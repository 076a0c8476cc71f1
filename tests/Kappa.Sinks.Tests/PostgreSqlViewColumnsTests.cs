using Kappa.PostgreSql;

namespace Kappa.Sinks.Tests;

/// <summary>
/// The column plan of a routed view whose version tables' columns differ (no database): the view keeps its columns in
/// their order and types and appends new ones; a branch selects a typed NULL for a column its table lacks and a cast for
/// a narrower type; a type the view's column cannot hold is a conflict; retire's plan leaves out the columns no table
/// has any more.
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
    public void ANarrowerTypeIsCastToTheViewsAndAWiderOneIsAConflict()
    {
        ViewColumn[] narrow = [new("entry_id", "integer"), new("account", "text"), new("amount", "numeric(5,2)"), new("memo", "text")];
        PostgreSqlViewColumns cast = PostgreSqlViewColumns.Plan(Ledger, [("t_v3", narrow)], dropUnread: false);
        Assert.True(cast.Routable);
        Assert.Equal(Ledger, cast.Columns);
        Assert.Equal("\"entry_id\"::bigint AS \"entry_id\", \"account\", \"amount\"::numeric(7,2) AS \"amount\", \"memo\"", cast.SelectList("t_v3", narrow));

        ViewColumn[] wide = [new("entry_id", "bigint"), new("account", "bigint"), new("amount", "numeric(12,2)")];
        PostgreSqlViewColumns conflict = PostgreSqlViewColumns.Plan(Ledger, [("t_v4", wide)], dropUnread: false);
        Assert.False(conflict.Routable);
        Assert.Equal(
            [
                "column \"account\" is bigint in t_v4, and the view's text cannot hold every value of it",
                "column \"amount\" is numeric(12,2) in t_v4, and the view's numeric(7,2) cannot hold every value of it",
            ],
            conflict.Conflicts);
        var error = Assert.Throws<InvalidOperationException>(() => conflict.SelectList("t_v4", wide));
        Assert.Contains("t_v4", error.Message, StringComparison.Ordinal);
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
