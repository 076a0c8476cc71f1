namespace Kappa.Lifecycle;

/// <summary>The registry as read at one moment: every processor's deployment and every host's last heartbeat.</summary>
public sealed record DeploymentSnapshot
{
    public required IReadOnlyDictionary<string, ProcessorDeployment> Processors { get; init; }

    public required IReadOnlyList<HostHeartbeat> Heartbeats { get; init; }

    /// <summary>Transitions the registry refused (a concurrent change won), with the winner's operation, for diagnostics.</summary>
    public required int Rejected { get; init; }

    public ProcessorDeployment? Find(string processor) => Processors.GetValueOrDefault(processor);

    /// <summary>Instances whose live heartbeat lists <c>{processor}.v{version}</c>.</summary>
    public IReadOnlyList<string> LiveInstances(string processor, int version, DateTimeOffset now, TimeSpan timeout)
    {
        string id = Naming.KappaNames.ConsumerGroup(processor, version);
        return Heartbeats.Where(h => h.IsLive(now, timeout) && h.Running.Contains(id, StringComparer.Ordinal)).Select(h => h.Instance).ToArray();
    }
}
