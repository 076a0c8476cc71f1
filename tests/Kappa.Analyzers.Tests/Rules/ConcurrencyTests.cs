using Kappa.Analyzers.Tests.Infrastructure;
using Verifier = Microsoft.CodeAnalysis.Testing.AnalyzerVerifier<
    Kappa.Analyzers.Determinism.DeterminismAnalyzer,
    Kappa.Analyzers.Tests.Infrastructure.KappaAnalyzerTest<Kappa.Analyzers.Determinism.DeterminismAnalyzer>,
    Microsoft.CodeAnalysis.Testing.DefaultVerifier>;

namespace Kappa.Analyzers.Tests.Rules;

/// <summary>KAPPA105 concurrency (including ConfigureAwait and ConfigureAwaitOptions) and KAPPA106 completion order.</summary>
public class ConcurrencyTests
{
    private static string Async(string body, string members = "") => $$"""
        [StreamProcessor("orders")]
        public partial class Orders
        {
            [Consume("orders-in")]
            public async Task<object?> Handle(string value)
            {
        {{body}}
            }
        {{members}}
        }
        """;

    [Theory]
    [InlineData("Task.Run(() => 1)")]
    [InlineData("Task.Factory.StartNew(() => 1)")]
    [InlineData("new Thread(() => { })")]
    [InlineData("ThreadPool.QueueUserWorkItem(_ => { })")]
    [InlineData("Parallel.For(0, 10, i => { })")]
    [InlineData("Task.FromResult(1).ContinueWith(t => t.Result)")]
    public Task ConcurrencyPrimitives_AreReported(string expression) =>
        Verifier.VerifyAnalyzerAsync(Async($"        await Task.Yield(); return {{|KAPPA105:{expression}|}};").Replace("await Task.Yield();", "await {|KAPPA105:Task.Yield()|};"));

    [Fact]
    public Task AsParallel_WithoutAsOrdered_IsReported_WithAsOrdered_IsSilent() =>
        Verifier.VerifyAnalyzerAsync(Async("""
                    int[] xs = [3, 1, 2];
                    var a = {|KAPPA105:xs.AsParallel()|}.Select(x => x * 2).ToList();
                    var b = xs.AsParallel().AsOrdered().Select(x => x * 2).ToList();
                    var c = xs.AsParallel().Select(x => x + 1).AsOrdered().ToList();
                    return await Task.FromResult((a, b, c));
            """));

    [Theory]
    [InlineData("false", true)]
    [InlineData("true", false)]
    [InlineData("ConfigureAwaitOptions.None", true)]
    [InlineData("ConfigureAwaitOptions.ContinueOnCapturedContext", false)]
    [InlineData("ConfigureAwaitOptions.ContinueOnCapturedContext | ConfigureAwaitOptions.SuppressThrowing", false)]
    [InlineData("ConfigureAwaitOptions.SuppressThrowing", true)]
    [InlineData("ConfigureAwaitOptions.ForceYielding", true)]
    public Task ConfigureAwait_HonoursOptions(string argument, bool reported)
    {
        string call = $"Task.CompletedTask.ConfigureAwait({argument})";
        return Verifier.VerifyAnalyzerAsync(Async($"        await {(reported ? "{|KAPPA105:" + call + "|}" : call)}; return null;"));
    }

    [Fact]
    public Task ConfigureAwait_OnTaskOfT_ValueTask_AndNonConstant_AreReported() =>
        Verifier.VerifyAnalyzerAsync(Async("""
                    bool capture = value.Length > 3;
                    int a = await {|KAPPA105:Task.FromResult(1).ConfigureAwait(false)|};
                    int b = await {|KAPPA105:new ValueTask<int>(2).ConfigureAwait(false)|};
                    int c = await {|KAPPA105:Task.FromResult(3).ConfigureAwait(capture)|};
                    return a + b + c;
            """));

    [Fact]
    public Task WhenAll_AndSequentialAwait_AreSilent() =>
        Verifier.VerifyAnalyzerAsync(Async("""
                    var a = Task.FromResult(1);
                    var b = Task.FromResult(2);
                    int[] both = await Task.WhenAll(a, b);
                    return both[0] + await a + await b;
            """));

    [Fact]
    public Task WhenAny_IsReported() =>
        Verifier.VerifyAnalyzerAsync(Async("""
                    var first = await {|KAPPA106:Task.WhenAny(Task.FromResult(1), Task.FromResult(2))|};
                    return first.Result;
            """));

    [Fact]
    public Task DrainingConcurrentCollections_IsReported() =>
        Verifier.VerifyAnalyzerAsync(Async("""
                    var queue = new System.Collections.Concurrent.ConcurrentQueue<int>();
                    var bag = new System.Collections.Concurrent.ConcurrentBag<int>();
                    queue.Enqueue(1);
                    bag.Add(2);
                    var sum = 0;
                    while ({|KAPPA106:queue.TryDequeue(out var x)|}) sum += x;
                    foreach (var y in {|KAPPA106:bag|}) sum += y;
                    return await Task.FromResult(sum + bag.Count);
            """));
}
