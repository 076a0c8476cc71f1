using Kappa.Analyzers.Tests.Infrastructure;
using Verifier = Microsoft.CodeAnalysis.Testing.AnalyzerVerifier<
    Kappa.Analyzers.Determinism.DeterminismAnalyzer,
    Kappa.Analyzers.Tests.Infrastructure.KappaAnalyzerTest<Kappa.Analyzers.Determinism.DeterminismAnalyzer>,
    Microsoft.CodeAnalysis.Testing.DefaultVerifier>;

namespace Kappa.Analyzers.Tests.Rules;

/// <summary>KAPPA109, implicit culture: values formatted or parsed with the current culture without a culture-looking call.</summary>
public class ImplicitCultureTests
{
    private const string Locals = """
                var n = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
                var price = 1.5m;
                var at = ctx.Timestamp;
                var sb = new System.Text.StringBuilder();
                var s = "x";
        """;

    [Theory]
    [InlineData("s = \"total \" + {|KAPPA109:1.5|};")]
    [InlineData("s = \"at \" + {|KAPPA109:at|};")]
    [InlineData("s = {|KAPPA109:at.UtcDateTime|} + \" utc\";")]
    [InlineData("s = \"n=\" + {|KAPPA109:n|} + \"!\";")]
    [InlineData("s = \"p=\" + {|KAPPA109:(double?)1.5|};")]
    [InlineData("s += {|KAPPA109:price|};")]
    [InlineData("s = string.Concat(\"a\", {|KAPPA109:price|});")]
    [InlineData("s = string.Concat(\"a\", {|KAPPA109:price|}, \"b\", {|KAPPA109:2.5f|}, \"c\");")]
    [InlineData("s = string.Join(\",\", {|KAPPA109:1.5|}, {|KAPPA109:2.5|});")]
    [InlineData("s = string.Join(\",\", {|KAPPA109:new[] { 1.5, 2.5 }|});")]
    [InlineData("s = string.Join(\";\", {|KAPPA109:new List<DateTime> { at.UtcDateTime }|});")]
    [InlineData("s = string.Concat({|KAPPA109:new[] { price }.Select(p => p * 2)|});")]
    [InlineData("sb.Append({|KAPPA109:price|});")]
    [InlineData("sb.Insert(0, {|KAPPA109:at|});")]
    [InlineData("sb.Append({|KAPPA109:(object)1.5|});")]
    [InlineData("s = {|KAPPA109:Convert.ToString(1.5)|};")]
    [InlineData("price = {|KAPPA109:Convert.ToDecimal(value)|};")]
    [InlineData("at = {|KAPPA109:Convert.ToDateTime(value)|};")]
    [InlineData("n = {|KAPPA109:Convert.ToInt32((object)value)|};")]
    [InlineData("_ = {|KAPPA109:Convert.ChangeType(value, typeof(double))|};")]
    [InlineData("_ = {|KAPPA109:new System.IO.StringWriter()|};")]
    [InlineData("_ = {|KAPPA109:FormattableString.Invariant($\"{1.5}\").Length.ToString()|};")]
    [InlineData("FormattableString f = $\"{1.5}\"; s = {|KAPPA109:f.ToString()|};")]
    [InlineData("s = 1.5.ToString({|KAPPA109:System.Globalization.NumberFormatInfo.CurrentInfo|});")]
    [InlineData("s = at.UtcDateTime.ToString({|KAPPA109:System.Globalization.DateTimeFormatInfo.CurrentInfo|});")]
    [InlineData("s = {|KAPPA109:System.Globalization.RegionInfo.CurrentRegion|}.Name + {|KAPPA109:System.Globalization.CultureInfo.InstalledUICulture|}.Name;")]
    public Task ImplicitFormattingAndParsing_IsReported(string statement) =>
        Verifier.VerifyAnalyzerAsync(Sources.Processor(Locals + "\n        " + statement + "\n        return (s, sb, n, price, at);"));

    [Fact]
    public Task TextWriterWrite_OfAFormattedValue_IsReported() =>
        Verifier.VerifyAnalyzerAsync(Sources.Processor("""
                    Log(new System.IO.StringWriter(System.Globalization.CultureInfo.InvariantCulture), 1.5);
                    return null;
            """, members: """
                private static void Log(System.IO.TextWriter writer, double v)
                {
                    writer.Write({|KAPPA109:v|});
                    writer.WriteLine({|KAPPA109:v|});
                    writer.Write("v = {0}", {|KAPPA109:v|});
                }
            """));

    /// <summary>Near misses: the same shapes with an invariant provider, an ordinal or culture-free value, or a non-negative integer.</summary>
    [Theory]
    [InlineData("s = \"total \" + 1.5.ToString(System.Globalization.CultureInfo.InvariantCulture);")]
    [InlineData("s = FormattableString.Invariant($\"total {1.5}\");")]
    [InlineData("s = \"len \" + value.Length + \" count \" + new List<int>().Count + \" n \" + Math.Abs(n) + \" m \" + (value.Length % 7);")]
    [InlineData("s = \"k\" + 5 + 'c' + true + 5u + (ulong)n + (byte)1 + value + ctx.NewGuid() + TimeSpan.Zero;")]
    [InlineData("s += value; s += 'c'; s += 42;")]
    [InlineData("s = string.Join(\",\", new[] { 1u, 2u }) + string.Join(\",\", new[] { \"a\" }) + string.Join(\",\", new[] { 1.5 }.Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture)));")]
    [InlineData("s = string.Concat(\"a\", value, \"b\"); s = string.Join(\",\", new[] { \"a\", \"b\" });")]
    [InlineData("sb.Append(value).Append('c').Append(7).Append(true).Append(System.Globalization.CultureInfo.InvariantCulture, $\"{price}\");")]
    [InlineData("s = Convert.ToString(1.5, System.Globalization.CultureInfo.InvariantCulture) + Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture).ToString(System.Globalization.CultureInfo.InvariantCulture);")]
    [InlineData("s = Convert.ToString(true) + Convert.ToString('c') + Convert.ToBoolean(value) + Convert.ToChar(value) + Convert.ToBase64String(new byte[1]);")]
    [InlineData("var w = new System.IO.StringWriter(System.Globalization.CultureInfo.InvariantCulture); w.Write(1.5); w.WriteLine(price); s = w.ToString();")]
    [InlineData("s = ctx.NewGuid().ToString() + Guid.Parse(value) + DayOfWeek.Monday.ToString();")]
    public Task InvariantOrCultureFreeFormatting_IsSilent(string statement) =>
        Verifier.VerifyAnalyzerAsync(Sources.Processor(Locals + "\n        " + statement + "\n        return (s, sb, n, price, at);"));
}
