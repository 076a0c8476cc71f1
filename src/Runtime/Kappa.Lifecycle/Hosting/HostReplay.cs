using System.Diagnostics;
using System.Globalization;
using Kappa.Hosting;
using Kappa.Naming;
using Kappa.Processing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kappa.Lifecycle.Hosting;

/// <summary>
/// <c>dotnet run -- kappa replay &lt;processor&gt; &lt;version&gt;</c>: runs one processor version of the host, and the
/// host's sink writers of its sinks, from the version's committed position (offset 0 for a fresh version) until it is
/// caught up, reporting progress; records the version in the registry (Replaying, then CaughtUp) and heartbeats it
/// while it runs. Refuses (<see cref="LifecycleRefusedException"/>) a Retired or Failed version and one that a live
/// host already runs.
/// </summary>
internal sealed class HostReplay(IHost host, KappaLifecycle lifecycle)
{
    public ReplayProgress Run(string processor, int version, TimeSpan interval, TimeSpan? timeout, Action<ReplayProgress> report, CancellationToken cancellationToken)
    {
        string id = KappaNames.ConsumerGroup(processor, version);
        IHostedService[] services = host.Services.GetServices<IHostedService>().ToArray();
        StreamProcessorService service = services.OfType<StreamProcessorService>().SingleOrDefault(s => s.Runner.Descriptor.Id == id)
            ?? throw new InvalidOperationException($"The host does not run {id} (it runs: {Describe(services.OfType<StreamProcessorService>().Select(s => s.Runner.Descriptor.Id))}); add it with AddKappa(...).Add{{Processor}}().");
        ProcessorDescriptor descriptor = service.Runner.Descriptor;
        var artifacts = VersionArtifacts.From(descriptor);
        string[] tables = artifacts.SinkTargets.Select(t => t.Table).ToArray();
        var writers = services.OfType<ISinkWriterService>().Where(w => tables.Contains(w.Target.Table, StringComparer.Ordinal)).ToArray();

        DeploymentSnapshot snapshot = lifecycle.Registry.Read();
        if (snapshot.Find(processor)?.Find(version) is { State: VersionState.Retired or VersionState.Failed } known)
        {
            throw new LifecycleRefusedException($"{id} is {known.State}; a {known.State} version is not replayed (deploy a new version instead).");
        }

        IReadOnlyList<string> live = snapshot.LiveInstances(processor, version, lifecycle.Registry.Time.GetUtcNow(), lifecycle.Options.HeartbeatTimeout)
            .Where(i => i != lifecycle.Registry.Instance).ToArray();
        if (live.Count > 0)
        {
            throw new LifecycleRefusedException($"{id} already runs on {string.Join(", ", live)}; replay runs a version no live host runs (stop those hosts, or let them catch it up).");
        }

        lifecycle.Deploy(descriptor, $"replay on {lifecycle.Registry.Instance}");
        long startDone = Measure(artifacts).Done;
        var clock = Stopwatch.StartNew();
        var running = new List<IHostedService> { service };
        running.AddRange(writers.Cast<IHostedService>());
        foreach (IHostedService started in running)
        {
            started.StartAsync(cancellationToken).GetAwaiter().GetResult();
        }

        try
        {
            long lastDone = startDone;
            TimeSpan lastTime = TimeSpan.Zero;
            while (true)
            {
                cancellationToken.WaitHandle.WaitOne(interval);
                cancellationToken.ThrowIfCancellationRequested();
                ThrowIfFaulted(running);
                (long done, long lag) = Measure(artifacts);
                Dictionary<string, long> sinkLags = writers.ToDictionary(w => w.Target.Table, w => w.Lag, StringComparer.Ordinal);
                lifecycle.Registry.Heartbeat([id], sinkLags.Where(l => l.Value >= 0).ToDictionary(StringComparer.Ordinal));
                TimeSpan now = clock.Elapsed;
                double rate = (done - lastDone) / Math.Max((now - lastTime).TotalSeconds, 1e-3);
                (lastDone, lastTime) = (done, now);
                // A writer measures its lag between batches, so a 0 may predate the processor's last outputs: the
                // tables' committed offsets in the serving database decide.
                bool caughtUp = lag <= lifecycle.Options.LagThreshold && sinkLags.Values.All(l => l == 0) && lifecycle.TableLag(artifacts) <= lifecycle.Options.LagThreshold;
                VersionState state = caughtUp ? RecordCaughtUp(processor, version, lag) : State(processor, version);
                var progress = new ReplayProgress
                {
                    Type = caughtUp ? "caughtUp" : "progress",
                    Processor = processor,
                    Version = version,
                    State = state,
                    Done = done,
                    Lag = lag,
                    Replayed = done - startDone,
                    RecordsPerSecond = Math.Round(rate, 1),
                    EtaSeconds = rate > 0 ? Math.Round(lag / rate, 1) : null,
                    SinkWriterLag = sinkLags,
                    ElapsedSeconds = Math.Round(now.TotalSeconds, 2),
                };
                report(progress);
                if (caughtUp)
                {
                    return progress;
                }

                if (timeout is { } limit && now >= limit)
                {
                    throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"{id} did not catch up within {limit.TotalSeconds:0.#} s ({lag} records left; sink writers' lag: {Describe(sinkLags.Select(l => $"{l.Key} {l.Value}"))}). It keeps its position: replay again to go on."));
                }
            }
        }
        finally
        {
            foreach (IHostedService started in Enumerable.Reverse(running))
            {
                started.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
            }

            lifecycle.Registry.Heartbeat([]);
        }
    }

    private (long Done, long Lag) Measure(VersionArtifacts artifacts)
    {
        IReadOnlyList<PartitionProgress> partitions = LifecycleStatusReader.Measure(lifecycle.Registry.Transport, artifacts);
        return (partitions.Sum(p => p.Done), partitions.Sum(p => p.Lag));
    }

    private VersionState State(string processor, int version) =>
        lifecycle.Registry.Read().Find(processor)?.Find(version)?.State ?? VersionState.Replaying;

    /// <summary>
    /// Records CaughtUp when the version is still Replaying (another host or the tool may have moved it already), and
    /// readies its serving views for its promote.
    /// </summary>
    private VersionState RecordCaughtUp(string processor, int version, long lag)
    {
        for (int attempt = 0; ; attempt++)
        {
            ProcessorDeployment deployment = lifecycle.Registry.Read().Find(processor)!;
            VersionStatus status = deployment.Find(version)!;
            if (status.State != VersionState.Replaying)
            {
                return status.State;
            }

            try
            {
                lifecycle.RecordCaughtUp(deployment, status, $"replay: lag {lag} <= threshold {lifecycle.Options.LagThreshold}");
                return VersionState.CaughtUp;
            }
            catch (DeploymentConflictException) when (attempt < 5)
            {
                // another change of the processor landed first: read again
            }
        }
    }

    private static void ThrowIfFaulted(IEnumerable<IHostedService> running)
    {
        foreach (IHostedService service in running)
        {
            if (service is BackgroundService { ExecuteTask: { IsFaulted: true } task })
            {
                throw new InvalidOperationException($"The replay stopped: {task.Exception!.InnerException!.Message}", task.Exception.InnerException);
            }
        }
    }

    private static string Describe(IEnumerable<string> items)
    {
        string text = string.Join(", ", items);
        return text.Length == 0 ? "none" : text;
    }
}
