using Kappa.Analyzers.Tests.Infrastructure;
using Verifier = Microsoft.CodeAnalysis.Testing.AnalyzerVerifier<
    Kappa.Analyzers.Determinism.DeterminismAnalyzer,
    Kappa.Analyzers.Tests.Infrastructure.KappaAnalyzerTest<Kappa.Analyzers.Determinism.DeterminismAnalyzer>,
    Microsoft.CodeAnalysis.Testing.DefaultVerifier>;

namespace Kappa.Analyzers.Tests.Rules;

/// <summary>KAPPA107 through interface-typed locals, fields, properties, parameters and helper results.</summary>
public class InterfaceCollectionTests
{
    [Theory]
    [InlineData("IEnumerable<string> items = new HashSet<string>();", "items")]
    [InlineData("ICollection<string> items = new HashSet<string>();", "items")]
    [InlineData("IReadOnlyCollection<string> items = new HashSet<string>();", "items")]
    [InlineData("ISet<string> items = new HashSet<string>();", "items")]
    [InlineData("IEnumerable<KeyValuePair<string, int>> items = new Dictionary<string, int>();", "items")]
    [InlineData("IDictionary<string, int> items = new Dictionary<string, int>();", "items.Keys")]
    [InlineData("IReadOnlyDictionary<string, int> items = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();", "items")]
    [InlineData("IEnumerable<string> items = new List<string>(); if (value.Length > 2) items = new HashSet<string>();", "items")]
    [InlineData("IEnumerable<string> items = value.Length > 2 ? new List<string>() : new HashSet<string>();", "items")]
    [InlineData("var set = new HashSet<string>(); IEnumerable<string> items = set; IEnumerable<string> again = items;", "again")]
    [InlineData("IEnumerable<string> items = new HashSet<string>().Where(x => x.Length > 0);", "items")]
    public Task HashCollectionBehindAnInterface_IsReported(string declaration, string enumerated) =>
        Verifier.VerifyAnalyzerAsync(Sources.Processor($$"""
                    {{declaration}}
                    var list = new List<object>();
                    foreach (var x in {|KAPPA107:{{enumerated}}|}) list.Add(x);
                    return list;
            """));

    [Fact]
    public Task FieldsAndAutoPropertiesInitialisedInTheType_AreFollowed() =>
        Verifier.VerifyAnalyzerAsync(Sources.Processor("""
                    var list = new List<string>();
                    foreach (var x in {|KAPPA107:_seen|}) list.Add(x);
                    foreach (var x in {|KAPPA107:Rates.Keys|}) list.Add(x);
                    list.AddRange({|KAPPA107:_late|});
                    foreach (var x in _ordered) list.Add(x);
                    return list;
            """, members: """
                private readonly IEnumerable<string> _seen = new HashSet<string>();
                private IReadOnlyDictionary<string, decimal> Rates { get; } = new Dictionary<string, decimal>();
                private ICollection<string> _late = new List<string>();
                private readonly IEnumerable<string> _ordered = new SortedSet<string>(StringComparer.Ordinal);
                public Orders() { _late = new HashSet<string>(); }
            """));

    [Fact]
    public Task HelperResults_AreFollowedThroughTheirReturns() =>
        Verifier.VerifyAnalyzerAsync(Sources.Processor("""
                    var list = new List<string>();
                    foreach (var x in {|KAPPA107:Tags()|}) list.Add(x);
                    foreach (var x in Sorted()) list.Add(x);
                    return list;
            """, members: """
                private static IEnumerable<string> Tags() => new HashSet<string> { "a" };
                private static IEnumerable<string> Sorted() { return new List<string> { "a" }; }
            """));

    [Fact]
    public Task AHashCollectionPassedOnAsAnInterface_IsReportedWhereItIsEnumerated() =>
        Verifier.VerifyAnalyzerAsync(Sources.Processor("""
                    IEnumerable<string> items = new HashSet<string>();
                    return Render({|KAPPA107:items|});
            """, members: """
                private static string Render(IEnumerable<string> items) => string.Join(",", items);
            """));

    /// <summary>Near misses: an ordered collection behind the same interfaces, and order-insensitive uses of a hash collection.</summary>
    [Theory]
    [InlineData("IEnumerable<string> items = new List<string>();", "foreach (var x in items) list.Add(x);")]
    [InlineData("ICollection<string> items = new SortedSet<string>(StringComparer.Ordinal);", "foreach (var x in items) list.Add(x);")]
    [InlineData("ISet<string> items = new SortedSet<string>(StringComparer.Ordinal);", "foreach (var x in items) list.Add(x);")]
    [InlineData("IDictionary<string, int> items = new SortedDictionary<string, int>(StringComparer.Ordinal);", "foreach (var x in items.Keys) list.Add(x);")]
    [InlineData("IReadOnlyCollection<string> items = [\"a\", \"b\"];", "foreach (var x in items) list.Add(x);")]
    [InlineData("IEnumerable<string> items = new string[] { \"a\" };", "list.AddRange(items);")]
    [InlineData("IEnumerable<string> items = new HashSet<string>();", "list.Add(items.Count().ToString(System.Globalization.CultureInfo.InvariantCulture));")]
    [InlineData("IEnumerable<string> items = new HashSet<string>();", "if (items.Contains(value)) list.Add(value);")]
    [InlineData("IEnumerable<string> items = new HashSet<string>();", "list.AddRange(items.OrderBy(x => x, StringComparer.Ordinal));")]
    [InlineData("IDictionary<string, int> items = new Dictionary<string, int>();", "if (items.TryGetValue(value, out var n)) list.Add(value);")]
    [InlineData("IEnumerable<string> items = new HashSet<string>();", "var copy = new HashSet<string>(items); list.Add(copy.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));")]
    public Task OrderedOrOrderInsensitive_IsSilent(string declaration, string use) =>
        Verifier.VerifyAnalyzerAsync(Sources.Processor($$"""
                    {{declaration}}
                    var list = new List<string>();
                    {{use}}
                    return list;
            """));

    [Fact]
    public Task UnknownOrigin_DefaultPolicy_ReportsDictionariesAndSets_AuditsSequences() =>
        new KappaAnalyzerTest<Kappa.Analyzers.Determinism.DeterminismAnalyzer> { TestCode = Sources.Processor("""
                    return Render(new SortedDictionary<string, int>(), new List<string>());
            """, members: """
                private static string Render(IReadOnlyDictionary<string, int> map, IEnumerable<string> names)
                {
                    var list = new List<string>();
                    foreach (var kv in {|KAPPA107:map|}) list.Add(kv.Key);
                    foreach (var n in names) list.Add(n);
                    foreach (var x in {|KAPPA190:new External(names).Items|}) list.Add(x);
                    return string.Join(",", list);
                }
            """, outside: """
            public sealed class External(IEnumerable<string> items) { public IEnumerable<string> Items { get; } = items; }
            """) }.WithUnfollowable().RunAsync();

    [Theory]
    [InlineData("all", "{|KAPPA107:map|}", "{|KAPPA107:Items|}")]
    [InlineData("audit", "{|KAPPA190:map|}", "{|KAPPA190:Items|}")]
    [InlineData("dictionaries_and_sets", "{|KAPPA107:map|}", "{|KAPPA190:Items|}")]
    public Task UnknownOrigin_PolicyComesFromEditorConfig(string policy, string map, string items)
    {
        var test = new KappaAnalyzerTest<Kappa.Analyzers.Determinism.DeterminismAnalyzer> { TestCode = Sources.Processor($$"""
                    var list = new List<string>();
                    foreach (var kv in {{map}}) list.Add(kv.Key);
                    foreach (var x in {{items}}) list.Add(x);
                    return list;
            """, members: """
                public IReadOnlyDictionary<string, int> map = new SortedDictionary<string, int>();
                public IEnumerable<string> Items { get; set; } = new List<string>();
            """) };
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", $"root = true\n\n[*.cs]\ndotnet_diagnostic.KAPPA190.severity = suggestion\nkappa_determinism.unknown_collection_origin = {policy}\n"));
        return test.RunAsync();
    }
}
