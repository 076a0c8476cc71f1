using Kappa.Analyzers.CodeFixes;
using Kappa.Analyzers.Determinism;
using Kappa.Analyzers.Tests.Infrastructure;

namespace Kappa.Analyzers.Tests.CodeFixes;

public class WallClockAndValuesFixTests
{
    private static Task Clock(string markup, string? expected) => KappaCodeFix.VerifyAsync<WallClockCodeFixProvider>(markup, expected);

    private static Task Values(string markup, string? expected) => KappaCodeFix.VerifyAsync<DeterministicValuesCodeFixProvider>(markup, expected);

    private static string P(string handler) => $$"""
        [StreamProcessor("orders")]
        public partial class Orders
        {
        {{handler}}
        }
        """;

    [Theory]
    [InlineData("DateTime.UtcNow", "ctx.Timestamp.UtcDateTime")]
    [InlineData("DateTime.Now", "ctx.Timestamp.UtcDateTime")]
    [InlineData("DateTime.Today", "ctx.Timestamp.UtcDateTime.Date")]
    [InlineData("DateTimeOffset.UtcNow", "ctx.Timestamp")]
    [InlineData("DateTimeOffset.Now", "ctx.Timestamp")]
    [InlineData("TimeProvider.System.GetUtcNow()", "ctx.Timestamp")]
    public Task WallClock_BecomesRecordTimestamp(string before, string after) =>
        Clock(
            P($"    [Consume(\"in\")] public object Handle(string v, RecordContext ctx) => {{|KAPPA101:{before}|}};"),
            P($"    [Consume(\"in\")] public object Handle(string v, RecordContext ctx) => {after};"));

    [Fact]
    public Task WallClock_InHandlerWithoutContext_AddsTheParameter() =>
        Clock(
            P("    [Consume(\"in\")] public object Handle(string v) => {|KAPPA101:DateTime.UtcNow|};"),
            P("    [Consume(\"in\")] public object Handle(string v, RecordContext ctx) => ctx.Timestamp.UtcDateTime;"));

    [Fact]
    public Task WallClock_ContextNameInUse_PicksAnother() =>
        Clock(
            P("    [Consume(\"in\")] public object Handle(string ctx) { return {|KAPPA101:DateTime.UtcNow|}; }"),
            P("    [Consume(\"in\")] public object Handle(string ctx, RecordContext ctx1) { return ctx1.Timestamp.UtcDateTime; }"));

    [Fact]
    public Task WallClock_InHelperWithoutContext_HasNoFix() =>
        Clock(
            P("""
                [Consume("in")] public object Handle(string v) => Now();
                private static DateTime Now() => {|KAPPA101:DateTime.UtcNow|};
            """),
            null);

    [Fact]
    public Task WallClock_InLambda_CannotCaptureTheContext_HasNoFix() =>
        Clock(
            P("""
                [Consume("in")] public object Handle(string v, RecordContext ctx) { Func<DateTime> f = () => {|KAPPA101:DateTime.UtcNow|}; return f(); }
            """),
            null);

    [Fact]
    public Task Stopwatch_HasNoFix() =>
        Clock(P("    [Consume(\"in\")] public object Handle(string v, RecordContext ctx) => {|KAPPA101:System.Diagnostics.Stopwatch.GetTimestamp()|};"), null);

    [Fact]
    public Task NewGuid_BecomesDeterministicId_WithTheNextFreeIndex() =>
        Values(
            P("    [Consume(\"in\")] public object Handle(string v, RecordContext ctx) => (ctx.NewGuid(), ctx.NewGuid(1), {|KAPPA102:Guid.NewGuid()|});"),
            P("    [Consume(\"in\")] public object Handle(string v, RecordContext ctx) => (ctx.NewGuid(), ctx.NewGuid(1), ctx.NewGuid(2));"));

    [Fact]
    public Task FirstNewGuid_UsesIndexZero() =>
        Values(
            P("    [Consume(\"in\")] public object Handle(string v, RecordContext ctx) => {|KAPPA102:Guid.CreateVersion7()|};"),
            P("    [Consume(\"in\")] public object Handle(string v, RecordContext ctx) => ctx.NewGuid();"));

    [Theory]
    [InlineData("{|KAPPA102:new Random()|}.Next()", "ctx.CreateRandom().Next()")]
    [InlineData("{|KAPPA103:new Random(42)|}.Next()", "ctx.CreateRandom().Next()")]
    [InlineData("{|KAPPA102:Random.Shared|}.Next()", "ctx.CreateRandom().Next()")]
    public Task Random_BecomesRecordSeededGenerator(string before, string after) =>
        Values(
            P($"    [Consume(\"in\")] public object Handle(string v, RecordContext ctx) => {before};"),
            P($"    [Consume(\"in\")] public object Handle(string v, RecordContext ctx) => {after};"));

    [Fact]
    public Task Random_AssignedToRandomVariable_StillCompiles() =>
        Values(
            P("""
                [Consume("in")] public object Handle(string v, RecordContext ctx)
                {
                    Random r = {|KAPPA102:new Random()|};
                    return r.Next();
                }
            """),
            P("""
                [Consume("in")] public object Handle(string v, RecordContext ctx)
                {
                    Random r = ctx.CreateRandom();
                    return r.Next();
                }
            """));

    [Fact]
    public void MeaningChangingFixes_HaveNoFixAll()
    {
        Assert.Null(new WallClockCodeFixProvider().GetFixAllProvider());
        Assert.Null(new DeterministicValuesCodeFixProvider().GetFixAllProvider());
        Assert.NotNull(new CultureCodeFixProvider().GetFixAllProvider());
        Assert.NotNull(new UnorderedIterationCodeFixProvider().GetFixAllProvider());
    }
}
