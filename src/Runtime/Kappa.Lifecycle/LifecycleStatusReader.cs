using Kappa.Naming;
using Kappa.Sinks;
using Kappa.Transport;

namespace Kappa.Lifecycle;

/// <summary>Measures the registry's versions on the transport: lag per input partition, rate, ETA, dead letters, serving views.</summary>
internal sealed class LifecycleStatusReader(IKappaTransport transport, ISinkDatabase? database, LifecycleOptions options)
{
    public LifecycleStatus Read(DeploymentSnapshot snapshot, DateTimeOffset now, LifecycleStatus? previous)
    {
        var processors = new List<ProcessorStatus>();
        foreach (ProcessorDeployment deployment in snapshot.Processors.Values.OrderBy(p => p.Processor, StringComparer.Ordinal))
        {
            var versions = new List<VersionProgress>();
            foreach (VersionStatus version in deployment.Versions)
            {
                IReadOnlyList<PartitionProgress> partitions = version.State == VersionState.Retired ? [] : Measure(transport, version.Artifacts);
                VersionProgress? before = previous?.Processors.FirstOrDefault(p => p.Processor == deployment.Processor)?.Versions.FirstOrDefault(v => v.Version == version.Version);
                long done = partitions.Sum(p => p.Done);
                long lag = partitions.Sum(p => p.Lag);
                double? rate = null;
                if (before is not null && previous!.Time < now)
                {
                    rate = Math.Max(0, done - before.Done) / (now - previous.Time).TotalSeconds;
                }

                TimeSpan? eta = lag == 0 ? TimeSpan.Zero : rate is > 0 ? TimeSpan.FromSeconds(lag / rate.Value) : null;
                versions.Add(new VersionProgress
                {
                    Version = version.Version,
                    State = version.State,
                    Since = version.Since,
                    Verified = version.Verified,
                    Partitions = partitions,
                    RecordsPerSecond = rate,
                    Eta = eta,
                    DeadLetters = version.State == VersionState.Retired ? 0 : Count(transport, KappaNames.DeadLetter(deployment.Processor, version.Version)),
                    LiveInstances = snapshot.LiveInstances(deployment.Processor, version.Version, now, options.HeartbeatTimeout),
                    SinkWriterLag = version.State == VersionState.Retired ? null : SinkWriterLag(snapshot, version.Artifacts, now),
                });
            }

            string[] sinks = deployment.Versions.SelectMany(v => v.Artifacts.Sinks).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            processors.Add(new ProcessorStatus
            {
                Processor = deployment.Processor,
                Sequence = deployment.Sequence,
                Versions = versions,
                Sinks = sinks.Select(s => new SinkServing(s, database?.GetServingVersion(s))).ToArray(),
            });
        }

        return new LifecycleStatus { Time = now, Processors = processors, Hosts = snapshot.Heartbeats };
    }

    /// <summary>Status counts a table's lag exactly up to this many records (reading them), and reports the upper bound above.</summary>
    private const long CountedTableLag = 1_000;

    /// <summary>The version's group's committed position on every partition of every input topic.</summary>
    public static IReadOnlyList<PartitionProgress> Measure(IKappaTransport transport, VersionArtifacts artifacts)
    {
        var result = new List<PartitionProgress>();
        using IKappaConsumer probe = transport.CreateConsumer(new ConsumerSettings { GroupId = artifacts.ConsumerGroup, ClientId = artifacts.ConsumerGroup + ".status" });
        foreach (string topic in artifacts.InputTopics)
        {
            int partitions = transport.GetPartitionCount(topic) ?? 0;
            for (int p = 0; p < partitions; p++)
            {
                var tp = new TopicPartition(topic, p);
                WatermarkOffsets marks = transport.GetWatermarks(tp);
                result.Add(new PartitionProgress(topic, p, probe.Committed(tp), marks.Low, marks.High));
            }
        }

        return result;
    }

    /// <summary>
    /// With a serving database, measured in it (<see cref="SinkTableLag"/>: exact up to <see cref="CountedTableLag"/>
    /// records per table, an upper bound above); without one, as the live hosts' writers last reported it.
    /// </summary>
    private long? SinkWriterLag(DeploymentSnapshot snapshot, VersionArtifacts artifacts, DateTimeOffset now)
    {
        if (database is not null)
        {
            return artifacts.SinkTargets.Sum(target => SinkTableLag.Measure(transport, database, target, CountedTableLag, TimeSpan.FromSeconds(2)));
        }

        long? total = null;
        foreach (SinkTarget target in artifacts.SinkTargets)
        {
            long? table = snapshot.Heartbeats
                .Where(h => h.IsLive(now, options.HeartbeatTimeout) && h.SinkLags is not null && h.SinkLags.ContainsKey(target.Table))
                .Select(h => (long?)h.SinkLags![target.Table])
                .Max();
            if (table is { } lag)
            {
                total = (total ?? 0) + Math.Max(0, lag);
            }
        }

        return total;
    }

    private static long Count(IKappaTransport transport, string topic)
    {
        int partitions = transport.GetPartitionCount(topic) ?? 0;
        long count = 0;
        for (int p = 0; p < partitions; p++)
        {
            WatermarkOffsets marks = transport.GetWatermarks(new TopicPartition(topic, p));
            count += marks.High - marks.Low;
        }

        return count;
    }
}
