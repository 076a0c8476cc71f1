using BenchmarkDotNet.Attributes;
using Kappa.Lifecycle;
using Kappa.Log;
using Kappa.Transport;

namespace Kappa.Benchmarks.Lifecycle;

/// <summary>
/// <c>kappa status</c> on the embedded log over 100 input topics of 12 partitions: 50 processors reading two topics
/// each, two versions each (2,400 partition measurements), every version with committed offsets. Baseline: the
/// measurements alone (watermarks and committed offsets of the same 2,400 partitions through the transport), which
/// status cannot avoid; the ratio is the cost of the registry read and fold on top.
/// </summary>
[MemoryDiagnoser]
public class LifecycleStatusBenchmarks
{
    private const int Processors = 50;
    private const int Partitions = 12;
    private string _directory = string.Empty;
    private EmbeddedLogTransport _transport = null!;
    private KappaLifecycle _lifecycle = null!;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("kappa-bench-status-").FullName;
        _transport = new EmbeddedLogTransport(new EmbeddedLogOptions { Directory = _directory, FsyncPolicy = FsyncPolicy.Never });
        _lifecycle = new KappaLifecycle(_transport);
        using IKappaProducer producer = _transport.CreateProducer(new ProducerSettings());
        for (int p = 0; p < Processors; p++)
        {
            string[] inputs = [$"input-{2 * p}", $"input-{(2 * p) + 1}"];
            _transport.EnsureTopics(inputs.Select(t => new TopicSpec(t, Partitions)).ToArray());
            foreach (string topic in inputs)
            {
                for (int partition = 0; partition < Partitions; partition++)
                {
                    for (int i = 0; i < 10; i++)
                    {
                        producer.Produce(new OutgoingRecord(topic, "k"u8, "v"u8) { Partition = partition });
                    }
                }
            }

            for (int version = 1; version <= 2; version++)
            {
                var artifacts = new VersionArtifacts { Processor = $"processor-{p}", Version = version, InputTopics = inputs, Sinks = [$"sink-{p}"] };
                _lifecycle.Deploy(artifacts);
                using IKappaConsumer group = _transport.CreateConsumer(new ConsumerSettings { GroupId = artifacts.ConsumerGroup });
                group.Commit(inputs.SelectMany(t => Enumerable.Range(0, Partitions).Select(i => new TopicPartitionOffset(t, i, 5 * version))).ToArray());
            }
        }

        producer.Flush();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _transport.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public long MeasurementsOnly()
    {
        long lag = 0;
        for (int p = 0; p < Processors; p++)
        {
            for (int version = 1; version <= 2; version++)
            {
                using IKappaConsumer probe = _transport.CreateConsumer(new ConsumerSettings { GroupId = $"processor-{p}.v{version}" });
                for (int t = 0; t < 2; t++)
                {
                    for (int partition = 0; partition < Partitions; partition++)
                    {
                        var tp = new TopicPartition($"input-{(2 * p) + t}", partition);
                        lag += _transport.GetWatermarks(tp).High - (probe.Committed(tp) ?? 0);
                    }
                }
            }
        }

        return lag;
    }

    [Benchmark]
    public long Status() => _lifecycle.Status().Processors.Sum(p => p.Versions.Sum(v => v.Lag));
}
