namespace Kappa.Processing;

/// <summary>What a processor promises about its outputs, state and input offsets when it fails and restarts.</summary>
public enum ProcessingGuarantee
{
    /// <summary>Outputs (and changelog writes) are flushed before offsets are committed: after a crash some outputs may be written twice.</summary>
    AtLeastOnce,

    /// <summary>
    /// Each batch's outputs, changelog writes and input offsets commit in one transaction (<see cref="Transport.ITransactionalProducer"/>):
    /// all or nothing, so results are neither lost nor duplicated. Needs a transport with transactions.
    /// </summary>
    ExactlyOnce,
}
