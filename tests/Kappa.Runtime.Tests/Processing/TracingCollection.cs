namespace Kappa.Runtime.Tests.Processing;

/// <summary>
/// Tests that attach an <see cref="System.Diagnostics.ActivityListener"/> to the "Kappa" source, and the allocation test
/// that needs none attached: run alone, after the parallel tests, so no listener leaks into another test.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TracingCollection
{
    public const string Name = "Kappa tracing";
}
