namespace Kappa.Lifecycle;

/// <summary>
/// Where a processor version is in its life: <c>Replaying -> CaughtUp -> Serving -> Standby -> Retired</c>, or
/// <c>Failed</c>. A previous Serving version stays Standby (its tables and topics kept) until retired, so rollback is possible.
/// </summary>
public enum VersionState
{
    /// <summary>Deployed and reading its inputs from offset 0; not serving.</summary>
    Replaying,

    /// <summary>Its lag was under the threshold when last observed; ready to be verified and promoted.</summary>
    CaughtUp,

    /// <summary>The serving views of its sinks point at its tables.</summary>
    Serving,

    /// <summary>Served before; kept running and kept whole so that rollback can switch back to it.</summary>
    Standby,

    /// <summary>Stopped; its groups, topics and tables are deleted (or being deleted).</summary>
    Retired,

    /// <summary>A host reported that it cannot run (its processor faulted); needs a new version or a retry.</summary>
    Failed,
}
