using Kappa.Processing;
using Microsoft.Extensions.Logging;

namespace Kappa.Hosting;

/// <summary>
/// Hosts one <see cref="ProcessorRunner"/> on a dedicated thread. Stopping the host cancels the runner, which finishes
/// its batch, flushes, commits and leaves the group. A processor that faults fails this service's task, which by
/// default stops the host.
/// </summary>
public sealed class StreamProcessorService : DedicatedThreadService
{
    public StreamProcessorService(ProcessorRunner runner, ILogger<StreamProcessorService> logger)
        : base(logger)
    {
        ArgumentNullException.ThrowIfNull(runner);
        Runner = runner;
    }

    public ProcessorRunner Runner { get; }

    protected override string LoopName => "Processor " + Runner.Descriptor.Id;

    protected override void Run(CancellationToken stoppingToken) => Runner.Run(stoppingToken);
}
