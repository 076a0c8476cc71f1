using Kappa.Analyzers.Tests.Infrastructure;
using Verifier = Microsoft.CodeAnalysis.Testing.AnalyzerVerifier<
    Kappa.Analyzers.Determinism.DeterminismAnalyzer,
    Kappa.Analyzers.Tests.Infrastructure.KappaAnalyzerTest<Kappa.Analyzers.Determinism.DeterminismAnalyzer>,
    Microsoft.CodeAnalysis.Testing.DefaultVerifier>;

namespace Kappa.Analyzers.Tests.Rules;

/// <summary>KAPPA109 culture and time zone.</summary>
public class CultureTests
{
    [Theory]
    [InlineData("{|KAPPA109:value.Length.ToString()|}")]
    [InlineData("{|KAPPA109:(1.5).ToString(\"F2\")|}")]
    [InlineData("{|KAPPA109:ctx.Timestamp.ToString()|}")]
    [InlineData("{|KAPPA109:ctx.Timestamp.UtcDateTime.ToString(\"d\")|}")]
    [InlineData("{|KAPPA109:double.Parse(value)|}.ToString(System.Globalization.CultureInfo.InvariantCulture)")]
    [InlineData("{|KAPPA109:decimal.TryParse(value, out var d)|}")]
    [InlineData("{|KAPPA109:string.Format(\"{0}\", 1.5)|}")]
    [InlineData("{|KAPPA109:value.ToUpper()|}")]
    [InlineData("{|KAPPA109:value.ToLower()|}")]
    [InlineData("{|KAPPA109:char.ToUpper(value[0])|}")]
    [InlineData("{|KAPPA109:string.Compare(value, \"a\")|}")]
    [InlineData("{|KAPPA109:value.CompareTo(\"a\")|}")]
    [InlineData("{|KAPPA109:value.StartsWith(\"a\")|}")]
    [InlineData("{|KAPPA109:value.EndsWith(\"a\")|}")]
    [InlineData("{|KAPPA109:value.IndexOf(\"a\")|}")]
    [InlineData("{|KAPPA109:$\"total {1.5}\"|}")]
    [InlineData("{|KAPPA109:$\"at {ctx.Timestamp}\"|}")]
    [InlineData("{|KAPPA109:TimeZoneInfo.Local|}")]
    [InlineData("{|KAPPA109:ctx.Timestamp.ToLocalTime()|}")]
    [InlineData("{|KAPPA109:ctx.Timestamp.UtcDateTime.ToLocalTime()|}")]
    [InlineData("{|KAPPA109:ctx.Timestamp.LocalDateTime|}")]
    [InlineData("new DateTime(2020, 1, 1, 0, 0, 0, {|KAPPA109:DateTimeKind.Local|})")]
    [InlineData("{|KAPPA109:System.Globalization.CultureInfo.CurrentCulture|}")]
    [InlineData("{|KAPPA109:StringComparer.CurrentCulture|}")]
    [InlineData("{|KAPPA109:Comparer<string>.Default|}")]
    [InlineData("{|KAPPA109:new[] { \"b\", \"a\" }.OrderBy(x => x)|}.ToList()")]
    [InlineData("{|KAPPA109:new[] { \"b\", \"a\" }.Order()|}.ToList()")]
    [InlineData("{|KAPPA109:new System.Text.StringBuilder().AppendFormat(\"{0}\", 1.5)|}")]
    public Task CultureSensitiveCalls_AreReported(string expression) =>
        Verifier.VerifyAnalyzerAsync(Sources.Processor($"        return {expression};"));

    [Theory]
    [InlineData("value.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)")]
    [InlineData("(1.5).ToString(\"F2\", System.Globalization.CultureInfo.InvariantCulture)")]
    [InlineData("ctx.Timestamp.ToString(\"o\")")]
    [InlineData("ctx.Timestamp.UtcDateTime.ToString(\"u\")")]
    [InlineData("double.Parse(value, System.Globalization.CultureInfo.InvariantCulture)")]
    [InlineData("string.Format(System.Globalization.CultureInfo.InvariantCulture, \"{0}\", 1.5)")]
    [InlineData("value.ToUpperInvariant() + value.ToLowerInvariant()")]
    [InlineData("string.Compare(value, \"a\", StringComparison.Ordinal)")]
    [InlineData("string.CompareOrdinal(value, \"a\")")]
    [InlineData("value.StartsWith(\"a\", StringComparison.Ordinal) && value.StartsWith('a') && value.Contains(\"a\") && value.Equals(\"a\")")]
    [InlineData("value.IndexOf('a') + value.IndexOf(\"a\", StringComparison.Ordinal)")]
    [InlineData("string.Create(System.Globalization.CultureInfo.InvariantCulture, $\"total {1.5}\")")]
    [InlineData("FormattableString.Invariant($\"total {1.5}\")")]
    [InlineData("$\"name {value} id {ctx.NewGuid()} ok {true}\"")]
    [InlineData("new[] { \"b\", \"a\" }.OrderBy(x => x, StringComparer.Ordinal).ToList()")]
    [InlineData("new[] { 2, 1 }.OrderBy(x => x).ToList()")]
    [InlineData("TimeZoneInfo.Utc")]
    [InlineData("ctx.Timestamp.UtcDateTime")]
    [InlineData("DateTime.SpecifyKind(ctx.Timestamp.UtcDateTime, DateTimeKind.Utc)")]
    [InlineData("ctx.NewGuid().ToString()")]
    [InlineData("value.ToString()")]
    public Task InvariantCode_IsSilent(string expression) =>
        Verifier.VerifyAnalyzerAsync(Sources.Processor($"        return {expression};"));
}
