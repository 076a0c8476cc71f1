using Kappa.Analyzers.Tests.Infrastructure;
using Verifier = Microsoft.CodeAnalysis.Testing.AnalyzerVerifier<
    Kappa.Analyzers.Determinism.DeterminismAnalyzer,
    Kappa.Analyzers.Tests.Infrastructure.KappaAnalyzerTest<Kappa.Analyzers.Determinism.DeterminismAnalyzer>,
    Microsoft.CodeAnalysis.Testing.DefaultVerifier>;

namespace Kappa.Analyzers.Tests.Rules;

/// <summary>KAPPA107 unordered iteration, KAPPA113 float accumulation over unordered sources, KAPPA114 reflection order.</summary>
public class OrderingTests
{
    private const string Collections = """
                var set = new HashSet<string> { "b", "a" };
                var dict = new Dictionary<string, int> { ["b"] = 2, ["a"] = 1 };
                var cdict = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
                var iset = System.Collections.Immutable.ImmutableHashSet.Create("a", "b");
                var idict = System.Collections.Immutable.ImmutableDictionary<string, int>.Empty;
                var weights = new Dictionary<string, double>();
        """;

    [Theory]
    [InlineData("foreach (var x in {|KAPPA107:set|}) list.Add(x);")]
    [InlineData("foreach (var kv in {|KAPPA107:dict|}) list.Add(kv.Key);")]
    [InlineData("foreach (var k in {|KAPPA107:dict.Keys|}) list.Add(k);")]
    [InlineData("foreach (var v in {|KAPPA107:dict.Values|}) list.Add(v.ToString(System.Globalization.CultureInfo.InvariantCulture));")]
    [InlineData("foreach (var k in {|KAPPA107:cdict.Keys|}) list.Add(k);")]
    [InlineData("foreach (var k in {|KAPPA107:iset|}) list.Add(k);")]
    [InlineData("foreach (var k in {|KAPPA107:idict.Keys|}) list.Add(k);")]
    [InlineData("list.AddRange({|KAPPA107:set|});")]
    [InlineData("list = {|KAPPA107:set|}.ToList();")]
    [InlineData("list = {|KAPPA107:set|}.Where(x => x.Length > 0).Select(x => x + \"!\").ToList();")]
    [InlineData("list.Add(string.Join(\",\", {|KAPPA107:dict.Keys|}));")]
    [InlineData("list.Add({|KAPPA107:set|}.First());")]
    [InlineData("list = [.. {|KAPPA107:set|}];")]
    [InlineData("list = new List<string>({|KAPPA107:iset|});")]
    public Task UnorderedIterationReachingOutput_IsReported(string statement) =>
        Verifier.VerifyAnalyzerAsync(Sources.Processor(Collections + "\n        var list = new List<string>();\n        " + statement + "\n        return list;"));

    [Theory]
    [InlineData("list = set.OrderBy(x => x, StringComparer.Ordinal).ToList();")]
    [InlineData("list = dict.Keys.Where(k => k.Length > 0).OrderBy(k => k, StringComparer.Ordinal).ToList();")]
    [InlineData("list = dict.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key).ToList();")]
    [InlineData("if (set.Contains(value)) list.Add(value);")]
    [InlineData("if (dict.TryGetValue(value, out var n)) list.Add(n.ToString(System.Globalization.CultureInfo.InvariantCulture));")]
    [InlineData("list.Add(dict[value].ToString(System.Globalization.CultureInfo.InvariantCulture));")]
    [InlineData("if (dict.ContainsKey(value) && cdict.TryGetValue(value, out _)) list.Add(value);")]
    [InlineData("list.Add(set.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) + dict.Values.Sum().ToString(System.Globalization.CultureInfo.InvariantCulture));")]
    [InlineData("if (set.Any(x => x == value) && dict.Keys.All(k => k.Length > 0) && set.Max() == value) list.Add(value);")]
    [InlineData("var copy = new HashSet<string>(set); var sorted = new SortedSet<string>(dict.Keys, StringComparer.Ordinal); list.AddRange(sorted);")]
    [InlineData("var other = set.ToHashSet(); other.UnionWith(iset); list.Add(other.SetEquals(set) ? \"y\" : \"n\");")]
    [InlineData("var sorted = new SortedDictionary<string, int>(dict, StringComparer.Ordinal); foreach (var kv in sorted) list.Add(kv.Key);")]
    [InlineData("var xs = new List<string> { \"b\", \"a\" }; string[] arr = [\"x\"]; foreach (var x in xs.Concat(arr)) list.Add(x);")]
    public Task OrderRestoredOrIrrelevant_IsSilent(string statement) =>
        Verifier.VerifyAnalyzerAsync(Sources.Processor(Collections + "\n        var list = new List<string>();\n        " + statement + "\n        return list;"));

    [Fact]
    public Task FloatingPointSumOverUnorderedSource_IsInformation() =>
        Verifier.VerifyAnalyzerAsync(Sources.Processor(Collections + """
                    double total = {|KAPPA113:weights.Values|}.Sum();
                    double mean = {|KAPPA113:weights|}.Average(kv => kv.Value);
                    return total + mean + {|KAPPA113:Math.Sin(total)|} + Math.Sqrt(mean) + Math.Abs(total);
            """));

    [Fact]
    public Task ReflectionOrder_IsReported_UnlessSorted() =>
        Verifier.VerifyAnalyzerAsync(Sources.Processor("""
                    var list = new List<string>();
                    foreach (var p in {|KAPPA114:typeof(Orders).GetProperties()|}) list.Add(p.Name);
                    var methods = {|KAPPA114:value.GetType().GetMethods()|};
                    list.AddRange(typeof(Orders).GetFields().Select(f => f.Name).OrderBy(n => n, StringComparer.Ordinal));
                    int count = typeof(Orders).GetMembers().Count();
                    return (list, methods, count);
            """));
}
