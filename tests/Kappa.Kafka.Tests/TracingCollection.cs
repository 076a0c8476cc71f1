namespace Kappa.Kafka.Tests;

/// <summary>Tests that attach a listener to the Kappa source run alone: traced runners add headers to their outputs.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TracingCollection
{
    public const string Name = "Kappa tracing";
}
