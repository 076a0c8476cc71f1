using Kappa.Analyzers.Tests.Infrastructure;
using Verifier = Microsoft.CodeAnalysis.Testing.AnalyzerVerifier<
    Kappa.Analyzers.Determinism.DeterminismAnalyzer,
    Kappa.Analyzers.Tests.Infrastructure.KappaAnalyzerTest<Kappa.Analyzers.Determinism.DeterminismAnalyzer>,
    Microsoft.CodeAnalysis.Testing.DefaultVerifier>;

namespace Kappa.Analyzers.Tests.Rules;

/// <summary>Legitimate processors that must produce no diagnostic at all (with KAPPA190 left at its default, off).</summary>
public class FalsePositiveSuiteTests
{
    [Fact]
    public Task EventTimeWindowing_IsSilent() =>
        Verifier.VerifyAnalyzerAsync("""
            using System.Globalization;

            public sealed record Reading(string Sensor, double Value, long AtMs);
            public sealed record WindowTotal(string Sensor, DateTimeOffset WindowStart, double Total, string Label);

            [StreamProcessor("windows", Version = 3)]
            public partial class Windows
            {
                private static readonly TimeSpan Size = TimeSpan.FromMinutes(5);
                private static readonly DateTimeOffset Epoch = DateTimeOffset.UnixEpoch;
                private readonly SortedDictionary<long, double> _totals = new();

                [Consume("readings")]
                public WindowTotal Handle(Reading reading, RecordContext ctx)
                {
                    DateTimeOffset at = ctx.Timestamp;
                    long bucket = (at - Epoch).Ticks / Size.Ticks;
                    DateTimeOffset start = Epoch + TimeSpan.FromTicks(bucket * Size.Ticks);
                    _totals[bucket] = (_totals.TryGetValue(bucket, out double t) ? t : 0) + reading.Value;
                    bool late = at.UtcDateTime < DateTime.UnixEpoch.AddYears(10) || at - start > Size;
                    string label = string.Create(CultureInfo.InvariantCulture, $"{reading.Sensor}@{start:O} total {_totals[bucket]:F2} late={late}");
                    return new WindowTotal(reading.Sensor, start, Math.Round(_totals[bucket], 2), label.ToUpperInvariant());
                }
            }
            """);

    [Fact]
    public Task SortedCollectionsLookupsAndDeterministicIds_AreSilent() =>
        Verifier.VerifyAnalyzerAsync("""
            using System.Collections.Immutable;
            using System.Globalization;

            public sealed record Order(string Id, string Customer, IReadOnlyList<string> Skus, decimal Amount);
            public sealed record Invoice(Guid Id, string Customer, string Lines, decimal Total, int Luck);

            [StreamProcessor("invoices", Version = 2)]
            public partial class Invoicing
            {
                private static readonly IReadOnlyDictionary<string, decimal> Prices = new Dictionary<string, decimal> { ["a"] = 1m, ["b"] = 2.5m };
                private static readonly ImmutableSortedSet<string> Vip = ImmutableSortedSet.Create(StringComparer.Ordinal, "c1", "c2");
                private readonly Dictionary<string, int> _countByCustomer = new(StringComparer.Ordinal);

                [Consume("orders")]
                public Invoice Handle(Order order, RecordContext ctx)
                {
                    var distinct = new HashSet<string>(order.Skus, StringComparer.Ordinal);
                    var lines = distinct.OrderBy(s => s, StringComparer.Ordinal).Select(s => s + "=" + Price(s).ToString(CultureInfo.InvariantCulture));
                    _countByCustomer[order.Customer] = _countByCustomer.GetValueOrDefault(order.Customer) + 1;
                    decimal total = order.Skus.Sum(Price) * (Vip.Contains(order.Customer) ? 0.9m : 1m);
                    var byKey = _countByCustomer.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Value).ToList();
                    int luck = ctx.CreateRandom().Next(100) + byKey.Count + distinct.Count;
                    var sorted = new SortedSet<string>(distinct, StringComparer.Ordinal);
                    foreach (string s in sorted) { luck += s.Length; }
                    string[] arr = order.Skus.ToArray();
                    Array.Sort(arr, StringComparer.Ordinal);
                    return new Invoice(ctx.NewGuid(), order.Customer, string.Join(",", lines.Concat(arr)), decimal.Round(total, 2), luck);
                }

                private static decimal Price(string sku) => Prices.TryGetValue(sku, out decimal p) ? p : 0m;
            }
            """);

    [Fact]
    public Task EqualityMembersReadonlyStaticsAndAsyncHandlers_AreSilent() =>
        Verifier.VerifyAnalyzerAsync("""
            using System.Globalization;
            using System.Text;

            public readonly record struct Key(string Tenant, int Shard);

            public sealed class Money : IEquatable<Money>
            {
                public Money(long cents) { Cents = cents; }
                public long Cents { get; }
                public static Money operator +(Money a, Money b) => new(a.Cents + b.Cents);
                public bool Equals(Money? other) => other is not null && other.Cents == Cents;
                public override bool Equals(object? obj) => Equals(obj as Money);
                public override int GetHashCode() => HashCode.Combine(Cents);
                public override string ToString() => (Cents / 100m).ToString("F2", CultureInfo.InvariantCulture);
            }

            [StreamProcessor("ledger")]
            public partial class Ledger
            {
                private const int Shards = 16;
                private static readonly string[] Names = ["a", "b"];
                private Money _balance = new(0);

                [Consume("payments")]
                public async Task<string> Handle(Money payment)
                {
                    _balance += payment;
                    await Task.CompletedTask.ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext);
                    await Task.CompletedTask.ConfigureAwait(true);
                    var sb = new StringBuilder();
                    sb.Append(CultureInfo.InvariantCulture, $"{_balance.Cents / 100.0:F2}");
                    sb.Append(Names[(int)(_balance.Cents % Names.Length)]);
                    var key = new Key("t", (int)(Math.Abs(_balance.Cents) % Shards));
                    return sb.ToString() + key.Tenant + _balance.Equals(payment) + int.Parse("12", NumberStyles.Integer, CultureInfo.InvariantCulture);
                }
            }
            """);

    [Fact]
    public Task NonHandlerCodeInAProcessorAssembly_IsNotAnalysed() =>
        Verifier.VerifyAnalyzerAsync("""
            public static class Startup
            {
                public static string Configure() => Environment.GetEnvironmentVariable("BOOTSTRAP") ?? DateTime.UtcNow.ToString();
            }

            [StreamProcessor("p")]
            public partial class P
            {
                public P() { Started = DateTime.UtcNow; }
                public DateTime Started { get; }
                [Consume("a")] public string A(string v, RecordContext ctx) => v + ctx.Offset.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            """);

    /// <summary>Near misses of the second round: each class's hazard written the deterministic way.</summary>
    [Fact]
    public Task InvariantFormattingOrderedInterfacesAndVettedDispatch_AreSilent() =>
        Verifier.VerifyAnalyzerAsync("""
            using System.Globalization;
            using System.Text;

            public interface IFeeRule { decimal Fee(decimal amount); }
            public sealed class FlatFee : IFeeRule { public decimal Fee(decimal amount) => 0.5m; }
            public sealed class PercentFee : IFeeRule { public decimal Fee(decimal amount) => Math.Round(amount * 0.01m, 2); }
            public abstract class Label { public abstract string Text(decimal total); }
            public sealed class InvariantLabel : Label { public override string Text(decimal total) => total.ToString("F2", CultureInfo.InvariantCulture); }

            [StreamProcessor("fees", Version = 2)]
            public partial class Fees
            {
                private readonly IReadOnlyDictionary<string, decimal> _caps = new SortedDictionary<string, decimal>(StringComparer.Ordinal) { ["eu"] = 10m };
                private readonly IEnumerable<IFeeRule> _rules = new List<IFeeRule> { new FlatFee(), new PercentFee() };
                private readonly Label _label = new InvariantLabel();
                private readonly Func<decimal, decimal> _round = d => Math.Round(d, 2, MidpointRounding.ToEven);

                [Consume("payments")]
                public string Handle(string region, RecordContext ctx)
                {
                    decimal amount = decimal.Parse("12.50", CultureInfo.InvariantCulture);
                    decimal fee = 0m;
                    foreach (IFeeRule rule in _rules) fee += rule.Fee(amount);
                    foreach (var cap in _caps) fee = cap.Key == region ? Math.Min(fee, cap.Value) : fee;
                    ISet<string> seen = new HashSet<string>(StringComparer.Ordinal) { region };
                    IEnumerable<string> tags = new[] { "b", "a" };
                    var sb = new StringBuilder();
                    sb.Append(region).Append(':').Append(seen.Count).Append(' ').Append(fee.ToString(CultureInfo.InvariantCulture));
                    foreach (string tag in tags) sb.Append(tag);
                    GC.KeepAlive(sb);
                    return sb + " " + _label.Text(_round(fee)) + " n=" + seen.Count + " " + FormattableString.Invariant($"{amount}")
                        + " " + Convert.ToString(seen.Contains(region)) + " " + string.Join(",", seen.OrderBy(x => x, StringComparer.Ordinal));
                }
            }
            """);
}
