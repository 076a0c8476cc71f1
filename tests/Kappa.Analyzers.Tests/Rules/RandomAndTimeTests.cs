using Kappa.Analyzers.Tests.Infrastructure;
using Verifier = Microsoft.CodeAnalysis.Testing.AnalyzerVerifier<
    Kappa.Analyzers.Determinism.DeterminismAnalyzer,
    Kappa.Analyzers.Tests.Infrastructure.KappaAnalyzerTest<Kappa.Analyzers.Determinism.DeterminismAnalyzer>,
    Microsoft.CodeAnalysis.Testing.DefaultVerifier>;

namespace Kappa.Analyzers.Tests.Rules;

/// <summary>KAPPA102 random values and ids, KAPPA103 seeded Random, KAPPA104 timers and sleeps.</summary>
public class RandomAndTimeTests
{
    [Theory]
    [InlineData("Guid.NewGuid()")]
    [InlineData("Guid.CreateVersion7()")]
    [InlineData("new Random()")]
    [InlineData("Random.Shared")]
    [InlineData("System.Security.Cryptography.RandomNumberGenerator.GetInt32(10)")]
    [InlineData("System.Security.Cryptography.RandomNumberGenerator.Create()")]
    [InlineData("System.IO.Path.GetRandomFileName()")]
    public Task RandomValues_AreReported(string expression) =>
        Verifier.VerifyAnalyzerAsync(Sources.Processor($"        return {{|KAPPA102:{expression}|}};"));

    [Fact]
    public Task SeededRandom_IsInformation() =>
        Verifier.VerifyAnalyzerAsync(Sources.Processor("        return {|KAPPA103:new Random(42)|}.Next();"));

    [Fact]
    public Task RuntimeDeterministicGenerators_AreSilent() =>
        Verifier.VerifyAnalyzerAsync(Sources.Processor("""
                    Random r = ctx.CreateRandom(1);
                    var d = new Kappa.Determinism.DeterministicRandom(7);
                    return (ctx.NewGuid(), ctx.NewGuid(1), r.Next(10), d.NextDouble(), Kappa.Determinism.DeterministicGuid.FromRecord("t", 0, 1), Guid.Empty, Guid.Parse("5c1f3b0e-7a54-4b1e-9d1c-6b2f4a8e0c31"));
            """));

    [Theory]
    [InlineData("Thread.Sleep(10)")]
    [InlineData("Task.Delay(10)")]
    [InlineData("new Timer(_ => { }, null, 0, 10)")]
    [InlineData("new System.Timers.Timer(10)")]
    [InlineData("new PeriodicTimer(TimeSpan.FromSeconds(1))")]
    [InlineData("new CancellationTokenSource(TimeSpan.FromSeconds(1))")]
    [InlineData("new CancellationTokenSource(100)")]
    public Task TimersAndSleeps_AreReported(string expression) =>
        Verifier.VerifyAnalyzerAsync(Sources.Processor($"        {{|KAPPA104:{expression}|}}; return null;"));

    [Fact]
    public Task CancelAfter_IsReported_PlainTokenSourceIsSilent() =>
        Verifier.VerifyAnalyzerAsync(Sources.Processor("""
                    var cts = new CancellationTokenSource();
                    {|KAPPA104:cts.CancelAfter(100)|};
                    return cts.Token;
            """));
}
