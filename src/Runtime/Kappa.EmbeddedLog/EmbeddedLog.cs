using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Kappa.Log.Storage;
using Kappa.Log.Transactions;
using Kappa.Naming;
using Microsoft.Extensions.Logging;

namespace Kappa.Log;

/// <summary>
/// A log directory in Kafka's storage layout: topics (metadata in <c>{topic}.topic</c>) with partitions in
/// <c>{topic}-{partition}</c> directories of segments. One process at a time may open a directory (lock file <c>.lock</c>).
/// </summary>
public sealed class EmbeddedLog : IDisposable
{
    public const string LockFileName = ".lock";

    private readonly FileStream _lock;
    private readonly ConcurrentDictionary<string, TopicState> _topics = new(StringComparer.Ordinal);
    private readonly object _topicsLock = new();
    private readonly ILogger _logger;
    private Timer? _fsyncTimer;
    private bool _disposed;

    private EmbeddedLog(EmbeddedLogOptions options, string directory, FileStream lockFile)
    {
        Options = options;
        Directory = directory;
        _lock = lockFile;
        _logger = options.Logger;
    }

    public EmbeddedLogOptions Options { get; }

    /// <summary>The full path of the log directory.</summary>
    public string Directory { get; }

    internal LogSignal Signal { get; } = new();

    /// <summary>Transaction state (fencing epochs, prepare/commit records); recovered on open.</summary>
    internal TransactionLog Transactions { get; private set; } = null!;

    public IReadOnlyCollection<string> Topics => _topics.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>Opens (creating when missing) a log directory, recovering every partition (see docs/embedded-log.md).</summary>
    public static EmbeddedLog Open(EmbeddedLogOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        string directory = Path.GetFullPath(options.Directory);
        if (File.Exists(directory))
        {
            throw new ArgumentException($"EmbeddedLogOptions.Directory '{directory}' is a file, not a directory.", nameof(options));
        }

        System.IO.Directory.CreateDirectory(directory);
        string lockPath = Path.Combine(directory, LockFileName);
        FileStream lockFile;
        try
        {
            lockFile = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new IOException($"The embedded log directory '{directory}' is already open for writing by another process or another EmbeddedLog in this process (its lock file '{lockPath}' is held). Close the other user first or choose a different directory.", e);
        }

        var log = new EmbeddedLog(options, directory, lockFile);
        try
        {
            log.LoadTopics();
            log.Transactions = TransactionLog.Open(log);
            if (options.FsyncPolicy == FsyncPolicy.Interval)
            {
                // Idle partitions get their data to disk within the interval too, not only on the next append.
                log._fsyncTimer = new Timer(static state => ((EmbeddedLog)state!).FlushDue(), log, options.FsyncInterval, options.FsyncInterval);
            }
        }
        catch
        {
            log.Dispose();
            throw;
        }

        return log;
    }

    /// <summary>The topic's configuration, or null when it does not exist.</summary>
    public TopicConfig? GetTopicConfig(string topic) => _topics.TryGetValue(topic, out TopicState? t) ? t.Config : null;

    /// <summary>
    /// Creates the topic when missing; when it exists, checks that partitions and cleanup policy match
    /// (throws <see cref="InvalidOperationException"/> naming the difference). Returns the topic's configuration.
    /// </summary>
    public TopicConfig EnsureTopic(string topic, TopicConfig config)
    {
        KappaNames.ValidateName(topic, "topic");
        if (topic is "." or "..")
        {
            throw new ArgumentException($"'{topic}' is not a valid topic name (Kafka forbids '.' and '..').", nameof(topic));
        }

        ArgumentNullException.ThrowIfNull(config);
        if (config.Partitions < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(config), config.Partitions, $"Topic '{topic}' needs at least one partition.");
        }

        lock (_topicsLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_topics.TryGetValue(topic, out TopicState? existing))
            {
                if (existing.Config.Partitions != config.Partitions || existing.Config.Compacted != config.Compacted)
                {
                    throw new InvalidOperationException(
                        $"Topic '{topic}' already exists in {Directory} with {existing.Config.Partitions} partition(s), cleanup.policy={(existing.Config.Compacted ? "compact" : "delete")}; " +
                        $"requested {config.Partitions} partition(s), cleanup.policy={(config.Compacted ? "compact" : "delete")}.");
                }

                return existing.Config;
            }

            string metadataPath = Path.Combine(Directory, topic + TopicConfig.FileExtension);
            string tmp = metadataPath + ".tmp";
            File.WriteAllText(tmp, config.Serialize(), Encoding.UTF8);
            File.Move(tmp, metadataPath, overwrite: true);
            var state = new TopicState(topic, config, OpenPartitions(topic, config));
            _topics[topic] = state;
            return config;
        }
    }

    /// <summary>
    /// Deletes a topic: closes its partitions, removes its metadata file and partition directories. Returns false when the
    /// topic does not exist. Readers still open on it fail on their next read; delete only topics nobody reads.
    /// </summary>
    public bool DeleteTopic(string topic)
    {
        TopicState? state;
        lock (_topicsLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_topics.TryRemove(topic, out state))
            {
                return false;
            }

            // The metadata file goes first: a crash half-way leaves partition directories that the next open ignores.
            File.Delete(Path.Combine(Directory, topic + TopicConfig.FileExtension));
        }

        foreach (PartitionLog p in state.Partitions)
        {
            p.Dispose();
            System.IO.Directory.Delete(p.Directory, recursive: true);
        }

        Signal.Pulse();
        return true;
    }

    /// <summary>A partition of an existing topic; throws <see cref="ArgumentException"/> naming the topic or partition when missing.</summary>
    public PartitionLog GetPartition(string topic, int partition)
    {
        if (!_topics.TryGetValue(topic, out TopicState? state))
        {
            throw new ArgumentException($"Topic '{topic}' does not exist in the embedded log at {Directory}.", nameof(topic));
        }

        if ((uint)partition >= (uint)state.Partitions.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(partition), partition, $"Topic '{topic}' has {state.Partitions.Length} partition(s) (0..{state.Partitions.Length - 1}).");
        }

        return state.Partitions[partition];
    }

    internal bool TryGetPartitions(string topic, out PartitionLog[] partitions)
    {
        if (_topics.TryGetValue(topic, out TopicState? state))
        {
            partitions = state.Partitions;
            return true;
        }

        partitions = Array.Empty<PartitionLog>();
        return false;
    }

    /// <summary>Applies retention and compaction to every partition and runs due interval fsyncs.</summary>
    public void RunMaintenance()
    {
        foreach (TopicState topic in _topics.Values)
        {
            foreach (PartitionLog p in topic.Partitions)
            {
                if (_disposed)
                {
                    return;
                }

                try
                {
                    p.FlushIfDue();
                    p.ApplyRetention();
                    p.CompactIfDirty();
                }
                catch (Exception e) when (e is IOException or LogCorruptException)
                {
                    _logger.LogError(e, "Embedded log maintenance of {Partition} failed.", p);
                }
            }
        }
    }

    private void FlushDue()
    {
        foreach (TopicState topic in _topics.Values)
        {
            foreach (PartitionLog p in topic.Partitions)
            {
                if (_disposed)
                {
                    return;
                }

                try
                {
                    p.FlushIfDue();
                }
                catch (IOException e)
                {
                    _logger.LogError(e, "Embedded log: interval fsync of {Partition} failed.", p);
                }
            }
        }
    }

    /// <summary>Fsyncs every partition (regardless of the policy when <paramref name="force"/>).</summary>
    public void Flush(bool force = false)
    {
        foreach (TopicState topic in _topics.Values)
        {
            foreach (PartitionLog p in topic.Partitions)
            {
                p.Flush(force);
            }
        }
    }

    public void Dispose()
    {
        lock (_topicsLock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        // Every partition is closed and the lock released whatever fails (a full disk, an I/O error); then every
        // failure is reported at once. A partition that could not be closed cleanly is re-checked at the next open.
        var failures = new List<(PartitionLog Partition, Exception Error)>();
        try
        {
            _fsyncTimer?.Dispose();
            foreach (TopicState topic in _topics.Values)
            {
                foreach (PartitionLog p in topic.Partitions)
                {
                    try
                    {
                        p.Dispose();
                    }
                    catch (Exception e) when (e is not OutOfMemoryException)
                    {
                        _logger.LogError(e, "Embedded log: closing {Partition} failed.", p);
                        failures.Add((p, e));
                    }
                }
            }

            Signal.Pulse();
        }
        finally
        {
            _lock.Dispose();
        }

        if (failures.Count > 0)
        {
            throw new IOException(
                $"Closing the embedded log at {Directory} failed for {failures.Count} partition(s): "
                + string.Join("; ", failures.Select(f => $"{f.Partition}: {f.Error.Message}"))
                + ". Every other partition was closed and the directory lock released; the partitions named are recovered (re-checked) when the log is opened again.",
                new AggregateException(failures.Select(f => f.Error)));
        }
    }

    /// <summary>Releases the directory as a crashed process would: nothing sealed, fsynced or checkpointed (for crash tests).</summary>
    internal void Abandon()
    {
        lock (_topicsLock)
        {
            _disposed = true;
        }

        _fsyncTimer?.Dispose();
        foreach (TopicState topic in _topics.Values)
        {
            foreach (PartitionLog p in topic.Partitions)
            {
                p.Abandon();
            }
        }

        _lock.Dispose();
    }

    private void LoadTopics()
    {
        var configs = new Dictionary<string, TopicConfig>(StringComparer.Ordinal);
        foreach (string path in System.IO.Directory.EnumerateFiles(Directory, "*" + TopicConfig.FileExtension))
        {
            string topic = Path.GetFileNameWithoutExtension(path);
            configs[topic] = TopicConfig.Parse(File.ReadAllText(path, Encoding.UTF8), path);
        }

        foreach (string path in System.IO.Directory.EnumerateFileSystemEntries(Directory))
        {
            string name = Path.GetFileName(path);
            if (name == LockFileName || (name.EndsWith(TopicConfig.FileExtension, StringComparison.Ordinal) && configs.ContainsKey(Path.GetFileNameWithoutExtension(name))))
            {
                continue;
            }

            if (System.IO.Directory.Exists(path) && IsPartitionDirectory(name, configs))
            {
                continue;
            }

            _logger.LogWarning("Embedded log: ignoring unknown {Kind} '{Name}' in {Directory}.", System.IO.Directory.Exists(path) ? "directory" : "file", name, Directory);
        }

        foreach ((string topic, TopicConfig config) in configs.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            _topics[topic] = new TopicState(topic, config, OpenPartitions(topic, config));
        }
    }

    private static bool IsPartitionDirectory(string name, Dictionary<string, TopicConfig> configs)
    {
        int dash = name.LastIndexOf('-');
        if (dash <= 0)
        {
            return false;
        }

        string topic = name[..dash];
        return configs.TryGetValue(topic, out TopicConfig? config)
            && int.TryParse(name.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int p)
            && p < config.Partitions
            && name[(dash + 1)..] == p.ToString(CultureInfo.InvariantCulture);
    }

    private PartitionLog[] OpenPartitions(string topic, TopicConfig config)
    {
        var partitions = new PartitionLog[config.Partitions];
        for (int p = 0; p < partitions.Length; p++)
        {
            string dir = Path.Combine(Directory, $"{topic}-{p.ToString(CultureInfo.InvariantCulture)}");
            partitions[p] = PartitionLog.Open(topic, p, dir, config, Options, Signal);
        }

        return partitions;
    }

    private sealed record TopicState(string Name, TopicConfig Config, PartitionLog[] Partitions);
}
