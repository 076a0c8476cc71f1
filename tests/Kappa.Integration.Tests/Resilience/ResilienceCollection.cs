namespace Kappa.Integration.Tests.Resilience;

/// <summary>The resilience tests run one at a time: each drives child processes and (on Kafka) a broker process, and CI has 2 cores.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ResilienceCollection
{
    public const string Name = "Resilience";
}
