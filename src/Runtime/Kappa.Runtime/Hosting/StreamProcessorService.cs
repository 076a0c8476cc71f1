using Kappa.Processing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kappa.Hosting;

/// <summary>
/// Hosts one <see cref="ProcessorRunner"/> on a dedicated long-running thread (consumers are thread-affine and the loop
/// blocks). Stopping the host cancels the runner, which finishes its batch, flushes, commits and leaves the group.
/// A processor that faults fails this service's task, which by default stops the host.
/// </summary>
public sealed class StreamProcessorService : BackgroundService
{
    private readonly ILogger<StreamProcessorService> _logger;

    public StreamProcessorService(ProcessorRunner runner, ILogger<StreamProcessorService> logger)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(logger);
        Runner = runner;
        _logger = logger;
    }

    public ProcessorRunner Runner { get; }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(
            () => RunOnThread(stoppingToken),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

    private void RunOnThread(CancellationToken stoppingToken)
    {
        Thread.CurrentThread.Name ??= "kappa " + Runner.Descriptor.Id;
        try
        {
            Runner.Run(stoppingToken);
        }
        catch (Exception error)
        {
            _logger.LogCritical(error, "Processor {Processor} failed and stopped: {Message}", Runner.Descriptor.Id, error.Message);
            throw;
        }
    }
}
