using Kappa.Hosting;
using Kappa.Naming;
using Kappa.Sinks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kappa.Lifecycle.Hosting;

/// <summary>
/// The host's side of the lifecycle: records the versions it runs in the registry (deploy), heartbeats them, stops its
/// instances of versions that were retired (by the tool or another host), and in automatic mode runs
/// <see cref="LifecycleAutomation"/> every <see cref="LifecycleHostOptions.Interval"/>.
/// </summary>
public sealed class LifecycleHostedService : BackgroundService
{
    private readonly KappaLifecycle _lifecycle;
    private readonly LifecycleHostOptions _options;
    private readonly IServiceProvider _provider;
    private IHostedService[] _services = [];
    private readonly ILogger<LifecycleHostedService> _logger;
    private readonly HashSet<string> _stopped = new(StringComparer.Ordinal);
    private readonly HashSet<string> _stoppedTables = new(StringComparer.Ordinal);

    /// <param name="lifecycle">The operations, on the host's transport and serving database.</param>
    /// <param name="options">Interval, automatic mode, verifiers.</param>
    /// <param name="provider">Resolves the host's other hosted services (its processors and sink writers) once it runs.</param>
    /// <param name="logger">Where rounds and their outcomes are logged.</param>
    public LifecycleHostedService(KappaLifecycle lifecycle, LifecycleHostOptions options, IServiceProvider provider, ILogger<LifecycleHostedService> logger)
    {
        _lifecycle = lifecycle ?? throw new ArgumentNullException(nameof(lifecycle));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _provider = provider ?? throw new ArgumentNullException(nameof(provider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    public KappaLifecycle Lifecycle => _lifecycle;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Run(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken stoppingToken)
    {
        Thread.CurrentThread.Name ??= "kappa lifecycle";
        _services = _provider.GetServices<IHostedService>().Where(s => !ReferenceEquals(s, this)).ToArray();
        var automation = new LifecycleAutomation(_lifecycle, _options, _logger, id => HostSchemaRegistry.Of(_services, id));
        foreach (StreamProcessorService processor in Processors())
        {
            _lifecycle.Deploy(processor.Runner.Descriptor, $"started on {_lifecycle.Registry.Instance}");
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                StopRetired();
                _lifecycle.Registry.Heartbeat(Running(), SinkLags());
                if (_options.Automatic)
                {
                    automation.RunOnce(StopLocal);
                }
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                _logger.LogError(error, "The lifecycle round failed: {Message}", error.Message);
            }

            stoppingToken.WaitHandle.WaitOne(_options.Interval);
        }
    }

    private IEnumerable<StreamProcessorService> Processors() => _services.OfType<StreamProcessorService>();

    private IReadOnlyList<string> Running() =>
        Processors().Select(p => p.Runner.Descriptor.Id).Where(id => !_stopped.Contains(id)).Order(StringComparer.Ordinal).ToArray();

    private void StopRetired()
    {
        DeploymentSnapshot snapshot = _lifecycle.Registry.Read();
        foreach (StreamProcessorService processor in Processors())
        {
            var descriptor = processor.Runner.Descriptor;
            if (!_stopped.Contains(descriptor.Id) && snapshot.Find(descriptor.Name)?.Find(descriptor.Version)?.State == VersionState.Retired)
            {
                StopLocal(descriptor.Id);
            }
        }
    }

    /// <summary>Stops this host's processor and sink writers of a version, then heartbeats without it.</summary>
    private void StopLocal(string id)
    {
        foreach (StreamProcessorService processor in Processors().Where(p => p.Runner.Descriptor.Id == id))
        {
            _logger.LogInformation("Stopping {Version}: it was retired.", id);
            processor.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
            string[] tables = processor.Runner.Descriptor.Sinks.Select(s => KappaNames.Table(s, processor.Runner.Descriptor.Version)).ToArray();
            foreach (IHostedService writer in _services.Where(s => TableOf(s) is { } table && tables.Contains(table)))
            {
                writer.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
            }

            _stoppedTables.UnionWith(tables);
        }

        _stopped.Add(id);
        _lifecycle.Registry.Heartbeat(Running(), SinkLags());
    }

    /// <summary>The lag of this host's running sink writers, by table (a writer reports -1 before its first measurement: left out).</summary>
    private Dictionary<string, long> SinkLags()
    {
        var lags = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (IHostedService service in _services)
        {
            if (service is ISinkWriterService writer && !_stoppedTables.Contains(writer.Target.Table) && writer.Lag >= 0)
            {
                lags[writer.Target.Table] = writer.Lag;
            }
        }

        return lags;
    }

    /// <summary>The table a hosted sink writer writes, or null for any other service.</summary>
    private static string? TableOf(IHostedService service) => (service as ISinkWriterService)?.Target.Table;
}
