namespace Kappa.Transport;

/// <summary>Where a consumer group without a committed offset starts reading.</summary>
public enum StartPosition
{
    /// <summary>From the log start offset: the Kappa default, so a new version replays the whole log.</summary>
    Earliest,

    /// <summary>From the log end offset: only records produced after the consumer joined.</summary>
    Latest,
}
