namespace Kappa.Lifecycle;

/// <summary>
/// A change to the registry lost against a concurrent one: it was based on sequence <see cref="ExpectedSequence"/> of
/// the processor, but another change was accepted first. Nothing of the losing change was applied; read the registry
/// again and decide whether to retry.
/// </summary>
public sealed class DeploymentConflictException : LifecycleRefusedException
{
    public DeploymentConflictException(string processor, long expectedSequence, DeploymentTransition? winner)
        : base($"Another change to '{processor}' was accepted first: this one was based on registry sequence {expectedSequence}, " +
               (winner is null ? "which is no longer current." : $"but '{winner.Operation}' by {winner.Instance} ({winner.Reason}) became sequence {winner.Sequence}.") +
               " Nothing was changed; run status and retry if it still applies.")
    {
        Processor = processor;
        ExpectedSequence = expectedSequence;
        Winner = winner;
    }

    public string Processor { get; }

    public long ExpectedSequence { get; }

    public DeploymentTransition? Winner { get; }
}
