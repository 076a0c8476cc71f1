using Microsoft.CodeAnalysis;
using Kappa.Analyzers.Determinism;
using Kappa.Analyzers.Tests.Infrastructure;
using Verifier = Microsoft.CodeAnalysis.Testing.AnalyzerVerifier<
    Kappa.Analyzers.Determinism.DeterminismAnalyzer,
    Kappa.Analyzers.Tests.Infrastructure.KappaAnalyzerTest<Kappa.Analyzers.Determinism.DeterminismAnalyzer>,
    Microsoft.CodeAnalysis.Testing.DefaultVerifier>;

namespace Kappa.Analyzers.Tests.Rules;

public class WallClockTests
{
    [Theory]
    [InlineData("DateTime.Now")]
    [InlineData("DateTime.UtcNow")]
    [InlineData("DateTime.Today")]
    [InlineData("DateTimeOffset.UtcNow")]
    [InlineData("DateTimeOffset.Now")]
    [InlineData("TimeProvider.System.GetUtcNow()")]
    [InlineData("TimeProvider.System.GetLocalNow()")]
    [InlineData("Environment.TickCount")]
    [InlineData("Environment.TickCount64")]
    [InlineData("System.Diagnostics.Stopwatch.GetTimestamp()")]
    [InlineData("System.Diagnostics.Stopwatch.StartNew()")]
    public Task WallClockReads_InHandler_AreReported(string expression) =>
        Verifier.VerifyAnalyzerAsync(Sources.Processor($"        return {{|KAPPA101:{expression}|}};"));

    [Fact]
    public Task TimeProviderParameter_IsReported() =>
        Verifier.VerifyAnalyzerAsync(Sources.Processor(
            "        return Clock.Read({|KAPPA101:TimeProvider.System|});",
            outside: """
            static class Clock
            {
                public static DateTimeOffset Read(TimeProvider time) => {|KAPPA101:time.GetUtcNow()|};
            }
            """));

    [Fact]
    public Task EventTimeArithmetic_IsSilent() =>
        Verifier.VerifyAnalyzerAsync(Sources.Processor("""
                    DateTimeOffset at = ctx.Timestamp;
                    DateTime day = at.UtcDateTime.Date;
                    TimeSpan age = at - DateTimeOffset.FromUnixTimeMilliseconds(0);
                    var deadline = at.AddMinutes(5);
                    return (day, age.TotalDays > 1, deadline > at, DateTime.MinValue, DateTimeOffset.UnixEpoch);
            """));

    [Fact]
    public async Task Message_NamesMemberReasonFixAndChain()
    {
        await Verifier.VerifyAnalyzerAsync(
            Sources.Processor("        return Helper.Stamp();", outside: """
            static class Helper
            {
                public static DateTime Stamp() => {|#0:DateTime.UtcNow|};
            }
            """),
            Verifier.Diagnostic("KAPPA101").WithLocation(0).WithMessage(
                "DateTime.UtcNow reads the wall clock, so a replay of the same log sees a different time and produces different output; "
                + "use the record's timestamp (ctx.Timestamp) instead [Orders.Handle -> Helper.Stamp -> DateTime.UtcNow]"));
        Assert.Equal(
            "https://github.com/kappa-dotnet/kappa/blob/main/docs/diagnostics/KAPPA101.md",
            new Kappa.Analyzers.Determinism.DeterminismAnalyzer().SupportedDiagnostics.Single(d => d.Id == "KAPPA101").HelpLinkUri);
    }
}
