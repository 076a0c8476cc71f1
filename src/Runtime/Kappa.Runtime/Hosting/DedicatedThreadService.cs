using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kappa.Hosting;

/// <summary>
/// A hosted loop that runs on a dedicated long-running thread (Kappa's loops block, and consumers are thread-affine):
/// stopping the host cancels the loop's token; a loop that throws is logged as critical and fails the service's task,
/// which by default stops the host.
/// </summary>
public abstract class DedicatedThreadService : BackgroundService
{
    private readonly ILogger _logger;

    protected DedicatedThreadService(ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger;
    }

    /// <summary>Names the thread and the log message when the loop fails ("Processor enrich-orders.v1").</summary>
    protected abstract string LoopName { get; }

    /// <summary>Runs the loop until <paramref name="stoppingToken"/> is cancelled.</summary>
    protected abstract void Run(CancellationToken stoppingToken);

    protected sealed override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(
            () => RunOnThread(stoppingToken),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

    private void RunOnThread(CancellationToken stoppingToken)
    {
        Thread.CurrentThread.Name ??= "kappa " + LoopName;
        try
        {
            Run(stoppingToken);
        }
        catch (Exception error)
        {
            _logger.LogCritical(error, "{Loop} failed and stopped: {Message}", LoopName, error.Message);
            throw;
        }
    }
}
