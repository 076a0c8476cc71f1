using Kappa.Analyzers.CodeFixes;
using Kappa.Analyzers.Determinism;
using Kappa.Analyzers.Tests.Infrastructure;

namespace Kappa.Analyzers.Tests.CodeFixes;

public class CultureAndOrderingFixTests
{
    private static Task Culture(string markup, string? expected) => KappaCodeFix.VerifyAsync<CultureCodeFixProvider>(markup, expected);

    private static Task Ordering(string markup, string? expected) => KappaCodeFix.VerifyAsync<UnorderedIterationCodeFixProvider>(markup, expected);

    private static string P(string body, string usings = "using System.Globalization;\n\n") => usings + $$"""
        [StreamProcessor("orders")]
        public partial class Orders
        {
            [Consume("in")]
            public object Handle(string v, RecordContext ctx)
            {
        {{body}}
            }
        }
        """;

    [Theory]
    [InlineData("v.Length.ToString()", "v.Length.ToString(CultureInfo.InvariantCulture)")]
    [InlineData("(1.5).ToString(\"F2\")", "(1.5).ToString(\"F2\", CultureInfo.InvariantCulture)")]
    [InlineData("double.Parse(v)", "double.Parse(v, CultureInfo.InvariantCulture)")]
    [InlineData("string.Format(\"{0}\", 1.5)", "string.Format(CultureInfo.InvariantCulture, \"{0}\", 1.5)")]
    [InlineData("v.ToUpper()", "v.ToUpperInvariant()")]
    [InlineData("char.ToLower(v[0])", "char.ToLowerInvariant(v[0])")]
    [InlineData("string.Compare(v, \"a\")", "string.Compare(v, \"a\", StringComparison.Ordinal)")]
    [InlineData("string.Compare(v, \"a\", true)", "string.Compare(v, \"a\", StringComparison.OrdinalIgnoreCase)")]
    [InlineData("v.CompareTo(\"a\")", "string.CompareOrdinal(v, \"a\")")]
    [InlineData("v.StartsWith(\"a\")", "v.StartsWith(\"a\", StringComparison.Ordinal)")]
    [InlineData("v.IndexOf(\"a\", 1)", "v.IndexOf(\"a\", 1, StringComparison.Ordinal)")]
    [InlineData("$\"total {1.5}\"", "string.Create(CultureInfo.InvariantCulture, $\"total {1.5}\")")]
    [InlineData("new[] { \"b\" }.OrderBy(x => x)", "new[] { \"b\" }.OrderBy(x => x, StringComparer.Ordinal)")]
    [InlineData("Comparer<string>.Default", "StringComparer.Ordinal")]
    [InlineData("StringComparer.CurrentCultureIgnoreCase", "StringComparer.OrdinalIgnoreCase")]
    [InlineData("CultureInfo.CurrentCulture", "CultureInfo.InvariantCulture")]
    public Task Culture_BecomesInvariantOrOrdinal(string before, string after) =>
        Culture(P($"        return {{|KAPPA109:{before}|}};"), P($"        return {after};"));

    [Theory]
    [InlineData("\"total \" + {|KAPPA109:1.5|}", "\"total \" + 1.5.ToString(CultureInfo.InvariantCulture)")]
    [InlineData("\"n \" + {|KAPPA109:-v.Length|}", "\"n \" + (-v.Length).ToString(CultureInfo.InvariantCulture)")]
    [InlineData("{|KAPPA109:ctx.Timestamp|} + \" at\"", "ctx.Timestamp.ToString(CultureInfo.InvariantCulture) + \" at\"")]
    [InlineData("string.Concat(v, {|KAPPA109:2.5m|})", "string.Concat(v, 2.5m.ToString(CultureInfo.InvariantCulture))")]
    [InlineData("new System.Text.StringBuilder().Append({|KAPPA109:1.5|})", "new System.Text.StringBuilder().Append(1.5.ToString(CultureInfo.InvariantCulture))")]
    [InlineData("{|KAPPA109:Convert.ToDouble(v)|}", "Convert.ToDouble(v, CultureInfo.InvariantCulture)")]
    [InlineData("{|KAPPA109:Convert.ToString(1.5)|}", "Convert.ToString(1.5, CultureInfo.InvariantCulture)")]
    [InlineData("{|KAPPA109:new System.IO.StringWriter()|}", "new System.IO.StringWriter(CultureInfo.InvariantCulture)")]
    [InlineData("1.5.ToString({|KAPPA109:NumberFormatInfo.CurrentInfo|})", "1.5.ToString(NumberFormatInfo.InvariantInfo)")]
    public Task ImplicitCulture_BecomesInvariant(string before, string after) =>
        Culture(P($"        return {before};"), P($"        return {after};"));

    [Fact]
    public Task ImplicitCulture_CompositeFormatArgument_HasNoAutomaticFix() =>
        Culture(P("        var w = new System.IO.StringWriter(CultureInfo.InvariantCulture); Write(w, 1.5); return w;\n    }\n    private static void Write(System.IO.TextWriter w, double d)\n    {\n        w.Write(\"{0:F2}\", {|KAPPA109:d|});"), null);

    [Fact]
    public Task TryParse_GetsTheProviderBeforeTheOutArgument() =>
        Culture(
            P("        return {|KAPPA109:int.TryParse(v, out var n)|} ? n : 0;"),
            P("        return int.TryParse(v, CultureInfo.InvariantCulture, out var n) ? n : 0;"));

    /// <summary>The added using directive ends with the document's own end-of-line, so the fixed file keeps one style.</summary>
    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public Task Culture_AddsTheGlobalizationImport_WhenMissing(string newLine) =>
        Culture(
            P("        return {|KAPPA109:v.Length.ToString()|};", usings: string.Empty).ReplaceLineEndings(newLine),
            P("        return v.Length.ToString(CultureInfo.InvariantCulture);", usings: "using System.Globalization;\n\n").ReplaceLineEndings(newLine));

    [Fact]
    public Task Culture_InsertsTheImportAmongExistingOnes_WithTheFilesLineEnding() =>
        Culture(
            P("        return {|KAPPA109:v.Length.ToString()|};", usings: "using System.Text;\n\n"),
            P("        return v.Length.ToString(CultureInfo.InvariantCulture);", usings: "using System.Globalization;\nusing System.Text;\n\n"));

    [Fact]
    public Task TimeZone_HasNoAutomaticFix() =>
        Culture(P("        return {|KAPPA109:TimeZoneInfo.Local|};"), null);

    [Fact]
    public Task Culture_FixAll_FixesEverySite() =>
        KappaCodeFix.VerifyAsync<CultureCodeFixProvider>(
            P("        return ({|KAPPA109:v.ToUpper()|}, {|KAPPA109:v.Length.ToString()|}, {|KAPPA109:v.EndsWith(\"x\")|});"),
            P("        return (v.ToUpperInvariant(), v.Length.ToString(CultureInfo.InvariantCulture), v.EndsWith(\"x\", StringComparison.Ordinal));"));

    [Fact]
    public Task Foreach_OverASetBehindAnInterface_IsOrderedOrdinally() =>
        Ordering(
            P("""
                    IEnumerable<string> items = new HashSet<string>();
                    var list = new List<string>();
                    foreach (var s in {|KAPPA107:items|}) list.Add(s);
                    return list;
            """, usings: string.Empty),
            P("""
                    IEnumerable<string> items = new HashSet<string>();
                    var list = new List<string>();
                    foreach (var s in items.OrderBy(x => x, StringComparer.Ordinal)) list.Add(s);
                    return list;
            """, usings: string.Empty));

    [Fact]
    public Task Foreach_OverStringSet_IsOrderedOrdinally() =>
        Ordering(
            P("""
                    var set = new HashSet<string>();
                    var list = new List<string>();
                    foreach (var s in {|KAPPA107:set|}) list.Add(s);
                    return list;
            """, usings: string.Empty),
            P("""
                    var set = new HashSet<string>();
                    var list = new List<string>();
                    foreach (var s in set.OrderBy(x => x, StringComparer.Ordinal)) list.Add(s);
                    return list;
            """, usings: string.Empty));

    [Fact]
    public Task Dictionary_IsOrderedByKey_AndLambdaNameAvoidsLocals() =>
        Ordering(
            P("""
                    var kv = 1;
                    var prices = new Dictionary<int, decimal>();
                    return {|KAPPA107:prices|}.Select(p => p.Value).ToList();
            """, usings: string.Empty),
            P("""
                    var kv = 1;
                    var prices = new Dictionary<int, decimal>();
                    return prices.OrderBy(kv1 => kv1.Key).Select(p => p.Value).ToList();
            """, usings: string.Empty));

    [Fact]
    public Task DictionaryKeys_AreOrderedOrdinally() =>
        Ordering(
            P("""
                    var d = new Dictionary<string, int>();
                    return string.Join(",", {|KAPPA107:d.Keys|});
            """, usings: string.Empty),
            P("""
                    var d = new Dictionary<string, int>();
                    return string.Join(",", d.Keys.OrderBy(x => x, StringComparer.Ordinal));
            """, usings: string.Empty));

    [Fact]
    public Task ElementsWithoutNaturalOrder_HaveNoFix() =>
        Ordering(
            P("""
                    var set = new HashSet<object>();
                    return {|KAPPA107:set|}.ToList();
            """, usings: string.Empty),
            null);

    [Fact]
    public Task Ordering_FixAll_FixesEverySite() =>
        KappaCodeFix.VerifyAsync<UnorderedIterationCodeFixProvider>(
            P("""
                    var a = new HashSet<int>();
                    var b = new HashSet<string>();
                    return ({|KAPPA107:a|}.ToList(), {|KAPPA107:b|}.ToArray());
            """, usings: string.Empty),
            P("""
                    var a = new HashSet<int>();
                    var b = new HashSet<string>();
                    return (a.OrderBy(x => x).ToList(), b.OrderBy(x => x, StringComparer.Ordinal).ToArray());
            """, usings: string.Empty));
}
