using Kappa.Analyzers.Tests.Infrastructure;
using Verifier = Microsoft.CodeAnalysis.Testing.AnalyzerVerifier<
    Kappa.Analyzers.Determinism.DeterminismAnalyzer,
    Kappa.Analyzers.Tests.Infrastructure.KappaAnalyzerTest<Kappa.Analyzers.Determinism.DeterminismAnalyzer>,
    Microsoft.CodeAnalysis.Testing.DefaultVerifier>;

namespace Kappa.Analyzers.Tests.Rules;

/// <summary>KAPPA108 hash codes and KAPPA112 static mutable state.</summary>
public class StateAndHashTests
{
    [Fact]
    public Task HashCodes_AreReported_ExceptInsideGetHashCodeImplementations() =>
        Verifier.VerifyAnalyzerAsync(Sources.Processor("""
                    int partition = {|KAPPA108:value.GetHashCode()|} % 8;
                    int combined = {|KAPPA108:HashCode.Combine(value, partition)|};
                    int viaComparer = {|KAPPA108:StringComparer.Ordinal.GetHashCode(value)|};
                    var key = new Key(value);
                    return partition + combined + viaComparer + {|KAPPA108:key.GetHashCode()|};
            """, outside: """
            sealed class Key(string name) : IEquatable<Key>
            {
                public string Name => name;
                public bool Equals(Key? other) => other is not null && other.Name == Name;
                public override bool Equals(object? obj) => Equals(obj as Key);
                public override int GetHashCode() => HashCode.Combine(Name.GetHashCode(), 17);
            }
            """));

    [Fact]
    public Task StaticMutableState_IsReported() =>
        Verifier.VerifyAnalyzerAsync(Sources.Processor("""
                    {|KAPPA112:s_count|}++;
                    {|KAPPA112:Cache.Add(value)|};
                    {|KAPPA112:Lookup[value] = 1|};
                    {|KAPPA112:Last|} = value;
                    return {|KAPPA112:s_count|};
            """, members: """
                private static int s_count;
                private static readonly List<string> Cache = new();
                private static readonly Dictionary<string, int> Lookup = new();
                public static string? Last { get; set; }
            """));

    [Fact]
    public Task ReadonlyStaticsConstantsAndInstanceState_AreSilent() =>
        Verifier.VerifyAnalyzerAsync(Sources.Processor("""
                    _seen++;
                    _names.Add(value);
                    var grown = Limits.Immutable.Add(value).Remove("a");
                    return (grown, Prefix + value, Limits.Max, Limits.Names.Count, Limits.Table.TryGetValue(value, out var n) ? n : 0, _seen, Empty, Limits.Frozen.Contains(value));
            """, members: """
                private const string Prefix = "o-";
                private static readonly string Empty = string.Empty;
                private int _seen;
                private readonly List<string> _names = new();
            """, outside: """
            static class Limits
            {
                public const int Max = 10;
                public static readonly IReadOnlyList<string> Names = new[] { "a", "b" };
                public static readonly Dictionary<string, int> Table = new() { ["a"] = 1 };
                public static readonly System.Collections.Immutable.ImmutableList<string> Immutable = System.Collections.Immutable.ImmutableList<string>.Empty;
                public static readonly System.Collections.Frozen.FrozenSet<string> Frozen = System.Collections.Frozen.FrozenSet.ToFrozenSet(new[] { "a" });
            }
            """));
}
