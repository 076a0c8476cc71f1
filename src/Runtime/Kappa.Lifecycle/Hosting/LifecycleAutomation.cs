using Kappa.Naming;
using Microsoft.Extensions.Logging;

namespace Kappa.Lifecycle.Hosting;

/// <summary>
/// One round of automatic mode: versions that caught up are marked CaughtUp; the newest caught-up version newer than
/// the serving one is verified (when a verifier is registered) and promoted once verified; versions older than the
/// serving one are retired once <see cref="LifecycleHostOptions.RetireGracePeriod"/> has passed since their last change.
/// Safe on many hosts at once: a change another host made first is skipped (the registry has one winner).
/// </summary>
/// <param name="lifecycle">The operations.</param>
/// <param name="options">Grace period and verifiers.</param>
/// <param name="logger">Where promotions, retirements and refusals are logged.</param>
/// <param name="schemaRegistryOf">
/// The schema registry the host configured for a version id (<c>{name}.v{N}</c>), used to verify processors with
/// Confluent-framed inputs or outputs; null (or a null answer) falls back to <see cref="KappaLifecycle.SchemaRegistry"/>.
/// </param>
public sealed class LifecycleAutomation(KappaLifecycle lifecycle, LifecycleHostOptions options, ILogger logger, Func<string, Avro.Registry.ISchemaRegistry?>? schemaRegistryOf = null)
{
    /// <summary>
    /// Runs one round. <paramref name="stopLocal"/> stops this host's instances of a version (ids <c>{name}.v{N}</c>)
    /// and sends a heartbeat without them, so that retire does not wait for this host.
    /// </summary>
    public void RunOnce(Action<string> stopLocal)
    {
        ArgumentNullException.ThrowIfNull(stopLocal);
        lifecycle.ObserveCaughtUp();
        foreach (ProcessorDeployment deployment in lifecycle.Registry.Read().Processors.Values)
        {
            Promote(deployment);
        }

        DateTimeOffset now = lifecycle.Registry.Time.GetUtcNow();
        foreach (ProcessorDeployment deployment in lifecycle.Registry.Read().Processors.Values)
        {
            if (deployment.Serving is not { } serving)
            {
                continue;
            }

            foreach (VersionStatus old in deployment.Versions.Where(v => v.Version < serving.Version && v.State is not (VersionState.Retired or VersionState.Serving)))
            {
                if (now - old.Since < options.RetireGracePeriod)
                {
                    continue;
                }

                Retire(deployment, old, stopLocal);
                break;
            }
        }
    }

    private void Promote(ProcessorDeployment deployment)
    {
        int serving = deployment.Serving?.Version ?? 0;
        VersionStatus? candidate = deployment.Versions.Where(v => v.Version > serving && v.State == VersionState.CaughtUp).MaxBy(v => v.Version);
        if (candidate is null)
        {
            return;
        }

        string id = KappaNames.ConsumerGroup(deployment.Processor, candidate.Version);
        try
        {
            if (!candidate.Verified)
            {
                if (candidate.Verification is not null || !options.Verifiers.TryGetValue(id, out var verify))
                {
                    return; // failed verification, or verified elsewhere (by a host with the code, or kappa verify)
                }

                if (!verify(lifecycle, schemaRegistryOf?.Invoke(id)).Passed)
                {
                    logger.LogWarning("Automatic mode: {Version} is not deterministic; it is not promoted.", id);
                    return;
                }
            }

            PromoteResult result = lifecycle.Promote(deployment.Processor, candidate.Version);
            logger.LogInformation("Automatic mode promoted {Version} (standby: v{Standby}).", id, result.Standby);
        }
        catch (LifecycleRefusedException refused)
        {
            logger.LogInformation("Automatic mode did not promote {Version}: {Reason}", id, refused.Message);
        }
    }

    private void Retire(ProcessorDeployment deployment, VersionStatus old, Action<string> stopLocal)
    {
        string id = KappaNames.ConsumerGroup(deployment.Processor, old.Version);
        try
        {
            lifecycle.Registry.Propose(deployment.Processor, deployment.Sequence, "retire", [new VersionChange(old.Version, VersionState.Retired)], $"automatic: v{deployment.Serving!.Version} serves since {options.RetireGracePeriod} or more");
            stopLocal(id);
            RetirePlan plan = lifecycle.Retire(deployment.Processor, old.Version);
            logger.LogInformation("Automatic mode retired {Version}: deleted {Topics} topic(s), {Groups} group(s), {Tables} table(s).", id, plan.Topics.Count, plan.ConsumerGroups.Count, plan.Tables.Count);
        }
        catch (LifecycleRefusedException refused)
        {
            logger.LogInformation("Automatic mode did not finish retiring {Version} yet: {Reason}", id, refused.Message);
        }
    }
}
