namespace Kappa.Testing.Tests;

/// <summary>
/// Tests that attach a listener to the Kappa source run alone, after the parallel ones: while a listener is attached
/// every runner traces and writes trace headers into its outputs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TracingCollection
{
    public const string Name = "Kappa tracing";
}
