using Microsoft.CodeAnalysis;
using Kappa.Analyzers.Determinism;
using Kappa.Analyzers.Tests.Infrastructure;
using Verifier = Kappa.Analyzers.Tests.Infrastructure.AnalyzerVerifier<Kappa.Analyzers.Determinism.DeterminismAnalyzer>;

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
        Verifier.VerifyAsync(Sources.Processor($"        return {{|KAPPA101:{expression}|}};"));

    [Fact]
    public Task TimeProviderParameter_IsReported() =>
        Verifier.VerifyAsync(Sources.Processor(
            "        return Clock.Read({|KAPPA101:TimeProvider.System|});",
            outside: """
            static class Clock
            {
                public static DateTimeOffset Read(TimeProvider time) => {|KAPPA101:time.GetUtcNow()|};
            }
            """));

    [Fact]
    public Task EventTimeArithmetic_IsSilent() =>
        Verifier.VerifyAsync(Sources.Processor("""
                    DateTimeOffset at = ctx.Timestamp;
                    DateTime day = at.UtcDateTime.Date;
                    TimeSpan age = at - DateTimeOffset.FromUnixTimeMilliseconds(0);
                    var deadline = at.AddMinutes(5);
                    return (day, age.TotalDays > 1, deadline > at, DateTime.MinValue, DateTimeOffset.UnixEpoch);
            """));

    [Fact]
    public async Task Message_NamesMemberReasonFixAndChain()
    {
        var result = await Verifier.RunAsync([Sources.Processor("        return Helper.Stamp();", outside: """
            static class Helper
            {
                public static DateTime Stamp() => DateTime.UtcNow;
            }
            """)]);
        Diagnostic diagnostic = Assert.Single(result.Diagnostics);
        string message = diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal("KAPPA101", diagnostic.Id);
        Assert.Contains("DateTime.UtcNow reads the wall clock", message, StringComparison.Ordinal);
        Assert.Contains("replay", message, StringComparison.Ordinal);
        Assert.Contains("ctx.Timestamp", message, StringComparison.Ordinal);
        Assert.Contains("[Orders.Handle -> Helper.Stamp -> DateTime.UtcNow]", message, StringComparison.Ordinal);
        Assert.Equal("https://github.com/kappa-dotnet/kappa/blob/main/docs/diagnostics/KAPPA101.md", diagnostic.Descriptor.HelpLinkUri);
    }
}
