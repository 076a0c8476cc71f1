using System.Text;
using Kappa.Avro;
using Kappa.Processing;
using Kappa.State;

namespace Kappa.Runtime.Tests.Processing;

/// <summary>Helpers for stateful runner tests on the in-memory transport.</summary>
internal static class StatefulTestKit
{
    public static ProcessorOptions Options(string? stateDirectory = null, int batch = 4) => new()
    {
        PollTimeout = TimeSpan.FromMilliseconds(5),
        MaxBatchTime = TimeSpan.FromSeconds(30),
        MaxBatchSize = batch,
        InstanceId = "test-instance",
        StateDirectory = stateDirectory,
    };

    /// <summary>
    /// Runs until every input partition's committed offset reached its end (restores included), then stops
    /// gracefully. Fails loudly after 30 s instead of hanging.
    /// </summary>
    public static void RunUntilCaughtUp(this ProcessorRunner runner, InMemoryTransport transport, Action? onIdle = null)
    {
        ProcessorDescriptor d = runner.Descriptor;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        using var stop = new CancellationTokenSource();
        transport.OnIdle = () =>
        {
            onIdle?.Invoke();
            bool caughtUp = d.InputTopics.All(topic =>
                Enumerable.Range(0, transport.GetPartitionCount(topic) ?? 0).All(p =>
                {
                    long end = transport.GetWatermarks(new Transport.TopicPartition(topic, p)).High;
                    return end == 0 || transport.CommittedOffset(d.ConsumerGroup, topic, p) == end;
                }));
            if (caughtUp || DateTime.UtcNow > deadline)
            {
                stop.Cancel();
            }
        };
        try
        {
            runner.Run(stop.Token);
        }
        finally
        {
            transport.OnIdle = null;
        }

        if (DateTime.UtcNow > deadline)
        {
            throw new Xunit.Sdk.XunitException($"{d.Id} did not catch up within 30 s.");
        }
    }

    public static byte[] Unit(long sign) => AvroSerializer.SerializeToArray(new OrderUnit { Sequence = 0, Sign = sign });

    public static byte[] Key(string key) => Encoding.UTF8.GetBytes(key);

    /// <summary>Appends units for keys k0..k{keys-1}: record i has key k{i % keys}, sign i+1, partition = key index % partitions.</summary>
    public static void AppendUnits(this InMemoryTransport transport, int from, int count, int keys, int partitions)
    {
        for (int i = from; i < from + count; i++)
        {
            int k = i % keys;
            transport.Append("units", k % partitions, Key("k" + k), Unit(i + 1), 1_000 + i);
        }
    }

    /// <summary>Output records of a topic as (key, decoded value) in partition/offset order.</summary>
    public static List<(string Key, OrderUnit Value)> Units(this InMemoryTransport transport, string topic) =>
        transport.Read(topic).Select(r => (Encoding.UTF8.GetString(r.Key!), AvroSerializer.Deserialize<OrderUnit>(r.Value!))).ToList();

    /// <summary>The latest changelog value per key (null for a tombstone), decoded.</summary>
    public static Dictionary<string, T?> LatestState<T>(this InMemoryTransport transport, string changelog)
        where T : IProcessorState<T>
    {
        var latest = new Dictionary<string, T?>(StringComparer.Ordinal);
        foreach (var record in transport.Read(changelog))
        {
            latest[Encoding.UTF8.GetString(record.Key!)] = record.Value is null ? default : StateSerializer.Deserialize<T>(record.Value);
        }

        return latest;
    }
}
