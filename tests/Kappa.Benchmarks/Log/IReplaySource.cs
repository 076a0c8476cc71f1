namespace Kappa.Benchmarks.Log;

/// <summary>
/// One way of replaying the benchmark dataset from the start to the end. To compare another transport (e.g. raw
/// Confluent.Kafka against the mock broker), implement this and add a [Benchmark] method to <see cref="LogReplayBenchmarks"/>.
/// </summary>
public interface IReplaySource : IDisposable
{
    string Name { get; }

    /// <summary>Prepares to replay <paramref name="dataset"/> (may copy it elsewhere, e.g. produce it to a broker).</summary>
    void Setup(LogDataset dataset);

    /// <summary>Reads every record once; returns a checksum (records + value bytes) so the work cannot be skipped.</summary>
    long ReplayAll();
}
