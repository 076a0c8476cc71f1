namespace Kappa.Processing;

/// <summary>What the runner does when a handler throws.</summary>
public enum HandlerErrorPolicy
{
    /// <summary>
    /// The default: flush and commit the records before the failing one, log an error naming processor, topic, partition
    /// and offset, and stop with <see cref="ProcessorFaultedException"/>. The failing record is not committed, so a restart
    /// (after a fix) processes it again. Right for a deterministic processor: skipping a record silently changes its output.
    /// </summary>
    Stop,

    /// <summary>Send the failing record to the dead-letter topic (reason <c>handler-error</c>) and continue.</summary>
    DeadLetter,
}
