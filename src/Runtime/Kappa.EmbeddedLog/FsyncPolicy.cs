namespace Kappa.Log;

/// <summary>When appended data is forced to disk (fsync).</summary>
public enum FsyncPolicy
{
    /// <summary>Never fsync on append; explicit flushes and the OS decide (fastest, like Kafka's default).</summary>
    Never,

    /// <summary>Fsync after every appended batch: every acknowledged batch survives a power loss.</summary>
    EveryBatch,

    /// <summary>Fsync at most once per <see cref="EmbeddedLogOptions.FsyncInterval"/> on append, from a timer for idle partitions, and on every explicit flush.</summary>
    Interval,
}
