using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kappa.Log;

/// <summary>Options of an embedded log directory. Defaults suit a single-machine deployment and tests.</summary>
public sealed class EmbeddedLogOptions
{
    /// <summary>The log directory (created when missing). Required.</summary>
    public string Directory { get; set; } = string.Empty;

    /// <summary>Partitions of a topic created without an explicit count (topics auto-created by producers).</summary>
    public int DefaultPartitions { get; set; } = 1;

    /// <summary>A segment is rolled once appending would make it larger than this (Kafka's segment.bytes).</summary>
    public int SegmentBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>A non-empty segment older than this is rolled on the next append (Kafka's segment.ms).</summary>
    public TimeSpan SegmentMaxAge { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Bytes of log between two sparse index entries (Kafka's index.interval.bytes).</summary>
    public int IndexIntervalBytes { get; set; } = 4096;

    public FsyncPolicy FsyncPolicy { get; set; } = FsyncPolicy.Interval;

    /// <summary>For <see cref="FsyncPolicy.Interval"/>: the longest time appended data stays un-fsynced while appends continue.</summary>
    public TimeSpan FsyncInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Default time retention of new topics (null: keep forever, the Kappa default for input logs).</summary>
    public TimeSpan? Retention { get; set; }

    /// <summary>Default size retention per partition of new topics (null: no limit).</summary>
    public long? RetentionBytes { get; set; }

    /// <summary>How long tombstones stay in a compacted topic after the segment holding them is cleaned (Kafka's delete.retention.ms).</summary>
    public TimeSpan DeleteRetention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How often the transport runs retention, compaction and interval fsyncs in the background (null: never; call <see cref="EmbeddedLog.RunMaintenance"/>).</summary>
    public TimeSpan? MaintenanceInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Verify the CRC-32C of every batch a reader serves (Kafka's check.crcs). Corrupt batches are never served either way on open; this guards against corruption after open.</summary>
    public bool VerifyChecksumsOnRead { get; set; } = true;

    /// <summary>
    /// Each consumer reads its partitions ahead on a thread of its own (file reads, CRC checks, record parsing and
    /// read_committed filtering), so reading overlaps with processing, as librdkafka's fetcher threads do for Kafka.
    /// Turn it off on a single core, or to keep every consumer on one thread.
    /// </summary>
    public bool ReadAhead { get; set; } = true;

    /// <summary>Records a producer collects per partition before appending them as one batch.</summary>
    public int ProducerBatchRecords { get; set; } = 1000;

    /// <summary>Bytes a producer collects per partition before appending them as one batch.</summary>
    public int ProducerBatchBytes { get; set; } = 1024 * 1024;

    public ILogger Logger { get; set; } = NullLogger.Instance;

    /// <summary>The clock for retention, segment age and default timestamps (tests substitute it).</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Directory))
        {
            throw new ArgumentException("EmbeddedLogOptions.Directory must name the log directory.", nameof(Directory));
        }

        Require(DefaultPartitions is >= 1 and <= 10_000, nameof(DefaultPartitions), DefaultPartitions, "must be between 1 and 10000");
        Require(SegmentBytes >= 1024, nameof(SegmentBytes), SegmentBytes, "must be at least 1024 bytes (Kafka's minimum is 14 bytes plus one batch; we require room for real batches)");
        Require(SegmentMaxAge > TimeSpan.Zero, nameof(SegmentMaxAge), SegmentMaxAge, "must be positive");
        Require(IndexIntervalBytes >= 1, nameof(IndexIntervalBytes), IndexIntervalBytes, "must be at least 1");
        Require(Enum.IsDefined(FsyncPolicy), nameof(FsyncPolicy), FsyncPolicy, "is not a FsyncPolicy value");
        Require(FsyncInterval > TimeSpan.Zero, nameof(FsyncInterval), FsyncInterval, "must be positive");
        Require(Retention is null || Retention > TimeSpan.Zero, nameof(Retention), Retention, "must be positive or null (keep forever)");
        Require(RetentionBytes is null || RetentionBytes > 0, nameof(RetentionBytes), RetentionBytes, "must be positive or null (no limit)");
        Require(DeleteRetention >= TimeSpan.Zero, nameof(DeleteRetention), DeleteRetention, "must not be negative");
        Require(MaintenanceInterval is null || MaintenanceInterval > TimeSpan.Zero, nameof(MaintenanceInterval), MaintenanceInterval, "must be positive or null");
        Require(ProducerBatchRecords >= 1, nameof(ProducerBatchRecords), ProducerBatchRecords, "must be at least 1");
        Require(ProducerBatchBytes >= 1, nameof(ProducerBatchBytes), ProducerBatchBytes, "must be at least 1");
        if (Logger is null || TimeProvider is null)
        {
            throw new ArgumentException("EmbeddedLogOptions.Logger and EmbeddedLogOptions.TimeProvider must not be null.");
        }
    }

    private static void Require(bool ok, string name, object? value, string why)
    {
        if (!ok)
        {
            throw new ArgumentException($"EmbeddedLogOptions.{name} = {value?.ToString() ?? "null"} is invalid: it {why}.", name);
        }
    }
}
