using Kappa.Avro.Registry;
using Kappa.Naming;
using Kappa.Processing;
using Kappa.Sinks;
using Kappa.Transport;

namespace Kappa.Lifecycle;

/// <summary>
/// The reprocessing lifecycle as operations: deploy, status, verify, promote, rollback, retire. Every change goes
/// through the <see cref="DeploymentRegistry"/> (safe under concurrency: of two concurrent changes of a processor one
/// wins, the other throws <see cref="DeploymentConflictException"/>). A refused precondition throws
/// <see cref="LifecycleRefusedException"/> and changes nothing. The <c>kappa</c> tool is a thin shell over this class.
/// </summary>
public sealed class KappaLifecycle
{
    private readonly IKappaTransport _transport;
    private readonly ISinkDatabase? _database;

    /// <param name="transport">The transport the processors run on (embedded log or Kafka).</param>
    /// <param name="database">The serving database; needed by promote, rollback and retire of versions with table sinks.</param>
    /// <param name="options">Thresholds; defaults when null.</param>
    /// <param name="time">Clock for the registry's records and heartbeats.</param>
    /// <param name="schemaRegistry">
    /// The schema registry verify uses for processors with Confluent-framed inputs or outputs, and to decode framed
    /// outputs when it diffs two versions; null when none is configured.
    /// </param>
    public KappaLifecycle(IKappaTransport transport, ISinkDatabase? database = null, LifecycleOptions? options = null, TimeProvider? time = null, ISchemaRegistry? schemaRegistry = null)
    {
        _transport = transport ?? throw new ArgumentNullException(nameof(transport));
        _database = database;
        SchemaRegistry = schemaRegistry;
        Options = options ?? new LifecycleOptions();
        Registry = new DeploymentRegistry(transport, Options.Instance, time);
    }

    public LifecycleOptions Options { get; }

    /// <summary>The serving database whose views promote and rollback switch (null when none was given).</summary>
    public ISinkDatabase? Database => _database;

    public DeploymentRegistry Registry { get; }

    /// <summary>The schema registry of Confluent-framed inputs and outputs verify uses by default (null when none was given).</summary>
    public ISchemaRegistry? SchemaRegistry { get; }

    /// <summary>
    /// Records a version in the registry as Replaying (what its host does when it starts it). Does nothing when the
    /// version is already known. Returns its current status.
    /// </summary>
    public VersionStatus Deploy(ProcessorDescriptor descriptor, string reason = "deployed")
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return Deploy(VersionArtifacts.From(descriptor), reason);
    }

    /// <inheritdoc cref="Deploy(ProcessorDescriptor, string)"/>
    public VersionStatus Deploy(VersionArtifacts artifacts, string reason = "deployed")
    {
        ArgumentNullException.ThrowIfNull(artifacts);
        for (int attempt = 0; ; attempt++)
        {
            ProcessorDeployment? deployment = Registry.Read().Find(artifacts.Processor);
            if (deployment?.Find(artifacts.Version) is { } known)
            {
                return known;
            }

            try
            {
                Registry.Propose(artifacts.Processor, deployment?.Sequence ?? 0, "deploy", [new VersionChange(artifacts.Version, VersionState.Replaying)], reason, artifacts);
            }
            catch (DeploymentConflictException) when (attempt < 5)
            {
                // Another host deployed or changed the processor at the same moment; read again and re-check.
            }
        }
    }

    /// <summary>Measures every processor version of the registry (and every sink's serving version when a database was given).</summary>
    /// <param name="previous">The previous status, to compute records/s and the ETA; null for none.</param>
    public LifecycleStatus Status(LifecycleStatus? previous = null) => new LifecycleStatusReader(_transport, _database, Options).Read(Registry.Read(), Registry.Time.GetUtcNow(), previous);

    /// <summary>
    /// Moves every Replaying version whose lag is at most <see cref="LifecycleOptions.LagThreshold"/> to CaughtUp, and
    /// readies the serving views of its sinks for its promote (<see cref="PrepareServingViews"/>). Returns the versions moved.
    /// </summary>
    public IReadOnlyList<string> ObserveCaughtUp()
    {
        var moved = new List<string>();
        foreach (ProcessorDeployment deployment in Registry.Read().Processors.Values)
        {
            foreach (VersionStatus version in deployment.Versions.Where(v => v.State == VersionState.Replaying))
            {
                long lag = LifecycleStatusReader.Measure(_transport, version.Artifacts).Sum(p => p.Lag);
                if (lag > Options.LagThreshold)
                {
                    continue;
                }

                long tableLag = TableLag(version.Artifacts);
                if (tableLag > Options.LagThreshold)
                {
                    continue;
                }

                try
                {
                    RecordCaughtUp(deployment, version, $"lag {lag} <= threshold {Options.LagThreshold}" + (_database is null ? string.Empty : $", tables {tableLag}"));
                    moved.Add(KappaNames.ConsumerGroup(deployment.Processor, version.Version));
                }
                catch (DeploymentConflictException)
                {
                    // Someone else changed the processor; the next observation decides again.
                }

                break;
            }
        }

        return moved;
    }

    /// <summary>
    /// The records of the version's output topics not yet applied to its tables (<see cref="SinkTableLag"/>): exact up to
    /// the lag threshold, an upper bound above it; 0 without a serving database (nothing to measure: promote then refuses
    /// for want of one).
    /// </summary>
    internal long TableLag(VersionArtifacts artifacts) =>
        _database is null ? 0 : artifacts.SinkTargets.Sum(target => SinkTableLag.Measure(_transport, _database, target, Options.LagThreshold, TableLagBudget));

    /// <summary>How long counting a table's lag may read before it settles for the upper bound.</summary>
    private static readonly TimeSpan TableLagBudget = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Records <paramref name="version"/> of <paramref name="deployment"/> CaughtUp (throws
    /// <see cref="DeploymentConflictException"/> when the processor changed since <paramref name="deployment"/> was read,
    /// recording nothing), then readies its serving views (<see cref="PrepareServingViews"/>).
    /// </summary>
    internal void RecordCaughtUp(ProcessorDeployment deployment, VersionStatus version, string reason)
    {
        Registry.Propose(deployment.Processor, deployment.Sequence, "caught-up", [new VersionChange(version.Version, VersionState.CaughtUp)], reason);
        PrepareServingViews(version.Artifacts);
    }

    /// <summary>
    /// Readies the serving views of <paramref name="artifacts"/>' sinks so that promoting the version changes no view
    /// definition (<see cref="ISinkDatabase.PrepareServingViews"/>; on PostgreSQL its tables join the routed views, their
    /// new columns appended and widened ones rebuilt with the wider type, and promote is then an UPDATE of the serving
    /// records). Changes no value readers see (an appended column is NULL until the promote, a widened column keeps its
    /// values in the wider type); may wait for them. Done when a
    /// version is caught up; promote and rollback do it themselves when it was not. Does nothing without a serving
    /// database.
    /// </summary>
    public void PrepareServingViews(VersionArtifacts artifacts)
    {
        ArgumentNullException.ThrowIfNull(artifacts);
        if (_database is not null && artifacts.Sinks.Count > 0)
        {
            _database.PrepareServingViews(artifacts.SinkTargets);
        }
    }

    /// <summary>
    /// Verifies <typeparamref name="TProcessor"/>'s version: runs it twice over its inputs as
    /// <see cref="DeterminismCheck"/> does, and diffs its output topics key by key against the serving version's (when
    /// there is one). Records the result in the registry. Needs the user's code: offered by the host's <c>kappa verify</c>.
    /// A processor with Confluent-framed inputs or outputs needs a schema registry: <paramref name="schemaRegistry"/>, else
    /// <see cref="SchemaRegistry"/>; without one verify throws <see cref="InvalidOperationException"/> before running anything.
    /// </summary>
    public VerificationResult Verify<TProcessor>(Func<TProcessor> factory, ISchemaRegistry? schemaRegistry = null)
        where TProcessor : class, IStreamProcessor<TProcessor>
    {
        ArgumentNullException.ThrowIfNull(factory);
        ProcessorDescriptor descriptor = TProcessor.KappaDescriptor;
        ISchemaRegistry? registry = schemaRegistry ?? SchemaRegistry;
        if (descriptor.NeedsSchemaRegistry && registry is null)
        {
            throw new InvalidOperationException(MissingRegistryMessage(descriptor));
        }

        Deploy(descriptor);
        DeterminismReport report = DeterminismCheck.Run(factory, _transport, schemaRegistry: registry);
        return RecordVerification(descriptor, report, registry);
    }

    /// <summary>
    /// Diffs a version's outputs against the serving one's and records <paramref name="report"/> with the diff.
    /// Confluent-framed outputs are compared by their decoded values, with writer schemas from
    /// <paramref name="schemaRegistry"/> (else <see cref="SchemaRegistry"/>); other outputs by their bytes.
    /// </summary>
    public VerificationResult RecordVerification(ProcessorDescriptor descriptor, DeterminismReport report, ISchemaRegistry? schemaRegistry = null)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(report);
        ISchemaRegistry? registry = schemaRegistry ?? SchemaRegistry;
        for (int attempt = 0; ; attempt++)
        {
            ProcessorDeployment deployment = Registry.Read().Find(descriptor.Name)
                ?? throw new InvalidOperationException($"{descriptor.Id} is not in the registry; deploy it first.");
            VersionStatus? compared = deployment.Serving is { } serving && serving.Version != descriptor.Version ? serving : null;
            var result = new VerificationResult
            {
                Version = descriptor.Version,
                Deterministic = report.IsDeterministic,
                Records = report.Records,
                FirstDifference = report.FirstDifference?.ToString(),
                ComparedWith = compared?.Version,
                Diffs = compared is { } old ? Diff(descriptor, old.Artifacts, registry) : [],
            };
            try
            {
                Registry.Propose(descriptor.Name, deployment.Sequence, "verify", [], report.IsDeterministic ? $"deterministic over {report.Records} records" : $"NOT deterministic: {report.FirstDifference}", verification: result);
                return result;
            }
            catch (DeploymentConflictException) when (attempt < 5)
            {
            }
        }
    }

    /// <summary>One diff per sink of the new version, each side read as its version writes it (framed or not).</summary>
    private OutputDiff[] Diff(ProcessorDescriptor descriptor, VersionArtifacts old, ISchemaRegistry? registry)
    {
        var artifacts = VersionArtifacts.From(descriptor);
        return descriptor.Sinks
            .Select(sink => OutputComparer.Compare(_transport, sink, old.Version, descriptor.Version, OutputValueReaders.For(sink, old, artifacts, registry)))
            .ToArray();
    }

    private static string MissingRegistryMessage(ProcessorDescriptor descriptor)
    {
        IEnumerable<string> inputs = descriptor.InputTopics.Where(t => descriptor.InputFormat(t) == ValueFormat.ConfluentAvro).Select(t => $"input '{t}'");
        IEnumerable<string> outputs = descriptor.Sinks.Where(s => descriptor.OutputFormat(s) == ValueFormat.ConfluentAvro).Select(s => $"output '{KappaNames.OutputTopic(s, descriptor.Version)}'");
        return $"Verify of {descriptor.Id} needs a schema registry: it reads or writes Confluent-framed Avro ({string.Join(", ", inputs.Concat(outputs))}) and none is configured. " +
            "In the host, call AddKappa(...).AddSchemaRegistry(...) or set ProcessorOptions.SchemaRegistry of the processor; " +
            "with the library, give it to new KappaLifecycle(..., schemaRegistry: ...) or to Verify(factory, schemaRegistry).";
    }

    /// <summary>
    /// Makes <paramref name="version"/> the serving version: refuses unless it is caught up (lag at most the threshold,
    /// measured now) and verified, unless <paramref name="force"/>. Records Serving (the old serving version becomes
    /// Standby) and then switches every serving view of the version's sinks in one database transaction
    /// (<see cref="ISinkDatabase.SwitchServingViews"/>): readers see all of them on the old version or all on the new. Of two concurrent promotes one wins; the
    /// other throws <see cref="DeploymentConflictException"/> before touching any view.
    /// </summary>
    public PromoteResult Promote(string processor, int version, bool force = false)
    {
        ProcessorDeployment deployment = Find(processor);
        VersionStatus target = deployment.Find(version) ?? throw new LifecycleRefusedException($"{KappaNames.ConsumerGroup(processor, version)} is not in the registry (versions: {Versions(deployment)}).");
        if (target.State is VersionState.Serving)
        {
            throw new LifecycleRefusedException($"{Id(processor, version)} is already serving.");
        }

        if (target.State is VersionState.Retired or VersionState.Failed)
        {
            throw new LifecycleRefusedException($"{Id(processor, version)} is {target.State}; only a running version can be promoted.");
        }

        var reasons = new List<string>();
        IReadOnlyList<PartitionProgress> lag = LifecycleStatusReader.Measure(_transport, target.Artifacts);
        long left = lag.Sum(p => p.Lag);
        if (left > Options.LagThreshold)
        {
            reasons.Add($"it is not caught up: {left} records left (threshold {Options.LagThreshold})");
        }

        long tableLag = TableLag(target.Artifacts);
        if (tableLag > Options.LagThreshold)
        {
            reasons.Add($"its tables are not caught up: up to {tableLag} records of its output topics are not in them yet (threshold {Options.LagThreshold})");
        }

        if (!target.Verified)
        {
            reasons.Add(target.Verification is null ? "it is not verified (run kappa verify)" : $"its verification failed ({target.Verification.FirstDifference})");
        }

        if (reasons.Count > 0 && !force)
        {
            throw new LifecycleRefusedException($"Promote of {Id(processor, version)} refused: {string.Join("; ", reasons)}. Use --force to promote anyway.");
        }

        RequireDatabase(target.Artifacts, "promote");
        VersionStatus? old = deployment.Serving;
        var changes = new List<VersionChange> { new(version, VersionState.Serving) };
        if (old is not null)
        {
            changes.Add(new VersionChange(old.Version, VersionState.Standby));
        }

        string reason = (force && reasons.Count > 0 ? "forced: " + string.Join("; ", reasons) : $"caught up (lag {left}, tables {tableLag}) and verified")
            + (old is null ? string.Empty : $"; v{old.Version} to standby");
        DeploymentTransition transition = Registry.Propose(processor, deployment.Sequence, "promote", changes, reason);
        IReadOnlyList<string> views = SwitchViews(processor, target, old, deployment.Sequence + 1, "promote");
        return new PromoteResult { Processor = processor, Serving = version, Standby = old?.Version, SwitchedViews = views, Forced = force && reasons.Count > 0, Transition = transition };
    }

    /// <summary>Switches back to the Standby version: it serves again, the current serving version becomes Standby.</summary>
    public PromoteResult Rollback(string processor)
    {
        ProcessorDeployment deployment = Find(processor);
        VersionStatus current = deployment.Serving ?? throw new LifecycleRefusedException($"'{processor}' has no serving version to roll back from.");
        VersionStatus standby = deployment.Standby ?? throw new LifecycleRefusedException($"'{processor}' has no Standby version to roll back to (it was retired, or nothing served before v{current.Version}).");
        RequireDatabase(standby.Artifacts, "rollback");
        DeploymentTransition transition = Registry.Propose(
            processor,
            deployment.Sequence,
            "rollback",
            [new VersionChange(standby.Version, VersionState.Serving), new VersionChange(current.Version, VersionState.Standby)],
            $"rolled back from v{current.Version} to v{standby.Version}");
        IReadOnlyList<string> views = SwitchViews(processor, standby, current, deployment.Sequence + 1, "rollback");
        return new PromoteResult { Processor = processor, Serving = standby.Version, Standby = current.Version, SwitchedViews = views, Forced = false, Transition = transition };
    }

    /// <summary>
    /// Retires a version: refuses for the serving one; records Retired (its hosts stop it by themselves), waits up to
    /// <see cref="LifecycleOptions.StopTimeout"/> for no live instance to run it, then deletes its consumer group, output
    /// topics, changelogs, dead-letter topics and tables, and nothing else. With <paramref name="dryRun"/> only lists them.
    /// Running it again on a Retired version finishes a deletion that was refused or interrupted. When an artefact cannot
    /// be deleted, the others still are and <see cref="RetireIncompleteException"/> names what is left and why.
    /// </summary>
    public RetirePlan Retire(string processor, int version, bool dryRun = false, CancellationToken cancellationToken = default)
    {
        ProcessorDeployment deployment = Find(processor);
        VersionStatus target = deployment.Find(version) ?? throw new LifecycleRefusedException($"{Id(processor, version)} is not in the registry (versions: {Versions(deployment)}).");
        if (target.State == VersionState.Serving)
        {
            throw new LifecycleRefusedException($"{Id(processor, version)} is serving; promote another version or roll back first.");
        }

        RetirePlan plan = Plan(target.Artifacts, dryRun);
        if (dryRun)
        {
            return plan;
        }

        if (plan.Tables.Count > 0)
        {
            RequireDatabase(target.Artifacts, "retire");
        }

        if (target.State != VersionState.Retired)
        {
            Registry.Propose(processor, deployment.Sequence, "retire", [new VersionChange(version, VersionState.Retired)], $"retired from {target.State}");
        }

        WaitUntilStopped(processor, version, cancellationToken);
        foreach (SinkTarget sink in target.Artifacts.SinkTargets)
        {
            if (_database?.GetServingVersion(sink.Sink) == version)
            {
                throw new LifecycleRefusedException($"The view of sink '{sink.Sink}' still serves v{version} in {_database.Description}, although the registry does not; promote or roll back to fix the view before retiring. Nothing was deleted.");
            }
        }

        // Each artefact on its own, so that one that cannot be deleted (a broker without the admin API, live members,
        // missing rights) does not keep the others, and the error says exactly what is left.
        var deleted = new List<string>();
        var failed = new List<RetireFailure>();
        void Delete(string artefact, Action delete)
        {
            try
            {
                delete();
                deleted.Add(artefact);
            }
            catch (Exception error) when (error is not (OutOfMemoryException or OperationCanceledException))
            {
                failed.Add(new RetireFailure(artefact, error));
            }
        }

        foreach (string group in plan.ConsumerGroups)
        {
            Delete($"consumer group '{group}'", () => _transport.DeleteConsumerGroup(group));
        }

        foreach (string topic in plan.Topics)
        {
            Delete($"topic '{topic}'", () => _transport.DeleteTopics([topic]));
        }

        foreach (SinkTarget sink in _database is null ? [] : target.Artifacts.SinkTargets)
        {
            Delete($"table '{sink.Table}'", () => _database!.DropTable(sink));
        }

        if (failed.Count > 0)
        {
            throw new RetireIncompleteException(processor, version, deleted, failed);
        }

        return plan;
    }

    private RetirePlan Plan(VersionArtifacts artifacts, bool dryRun)
    {
        var existingTopics = _transport.ListTopics().ToHashSet(StringComparer.Ordinal);
        IEnumerable<string> owned = artifacts.OutputTopics
            .Concat(artifacts.ChangelogTopics)
            .Append(artifacts.DeadLetterTopic)
            .Concat(artifacts.Sinks.Select(s => KappaNames.SinkDeadLetter(s, artifacts.Version)));

        // The group exists when it committed a position (sink writers commit to their database, never to a group).
        bool groupExists = LifecycleStatusReader.Measure(_transport, artifacts).Any(p => p.Committed is not null);
        string[] groups = groupExists ? [artifacts.ConsumerGroup] : [];
        return new RetirePlan
        {
            Processor = artifacts.Processor,
            Version = artifacts.Version,
            ConsumerGroups = groups,
            Topics = owned.Where(existingTopics.Contains).Distinct(StringComparer.Ordinal).ToArray(),
            Tables = _database is null ? [] : artifacts.SinkTargets.Select(t => t.Table).ToArray(),
            Executed = !dryRun,
        };
    }

    private void WaitUntilStopped(string processor, int version, CancellationToken cancellationToken)
    {
        DateTimeOffset deadline = DateTimeOffset.UtcNow + Options.StopTimeout;
        while (true)
        {
            IReadOnlyList<string> live = Registry.Read().LiveInstances(processor, version, Registry.Time.GetUtcNow(), Options.HeartbeatTimeout);
            if (live.Count == 0)
            {
                return;
            }

            if (DateTimeOffset.UtcNow >= deadline)
            {
                throw new LifecycleRefusedException($"{Id(processor, version)} is Retired but still runs on {string.Join(", ", live)} after {Options.StopTimeout}; nothing was deleted. Hosts stop retired versions by themselves: retire again once they have.");
            }

            cancellationToken.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(200));
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>
    /// Switches every serving view of <paramref name="target"/>'s sinks in one database transaction (all or nothing), then
    /// makes sure the views end on what the registry says serves. When the switch fails nothing was switched: the registry
    /// is put back and the failure thrown.
    /// </summary>
    private IReadOnlyList<string> SwitchViews(string processor, VersionStatus target, VersionStatus? previous, long sequence, string operation)
    {
        IReadOnlyList<SinkTarget> sinks = target.Artifacts.SinkTargets;
        try
        {
            if (sinks.Count > 0)
            {
                _database!.SwitchServingViews(sinks);
            }
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            var undo = new List<VersionChange> { new(target.Version, target.State) };
            if (previous is not null)
            {
                undo.Add(new VersionChange(previous.Version, VersionState.Serving));
            }

            Registry.Propose(processor, sequence, operation + "-failed", undo, $"switching the views failed: {error.Message}");
            throw new InvalidOperationException($"{operation} of {Id(processor, target.Version)} failed while switching the serving views ({error.Message}); nothing was switched and the registry was put back.", error);
        }

        // A later change (a promote or rollback that won after this one) may have switched before this switch landed:
        // the registry decides, so the views end on what it says serves, whichever switch finishes last.
        if (Registry.Read().Find(processor)?.Serving is { } serving && serving.Version != target.Version && serving.Artifacts.Sinks.Count > 0)
        {
            _database!.SwitchServingViews(serving.Artifacts.SinkTargets);
        }

        return sinks.Select(s => s.View).ToArray();
    }

    private void RequireDatabase(VersionArtifacts artifacts, string operation)
    {
        if (_database is null && artifacts.Sinks.Count > 0)
        {
            throw new ArgumentException($"{operation} of {Id(artifacts.Processor, artifacts.Version)} needs the serving database (its sinks: {string.Join(", ", artifacts.Sinks)}); give one.");
        }
    }

    private ProcessorDeployment Find(string processor)
    {
        KappaNames.ValidateName(processor, "processor name");
        DeploymentSnapshot snapshot = Registry.Read();
        return snapshot.Find(processor)
            ?? throw new LifecycleRefusedException($"Processor '{processor}' is not in the registry on {_transport.Description} (known: {(snapshot.Processors.Count == 0 ? "none" : string.Join(", ", snapshot.Processors.Keys))}).");
    }

    private static string Versions(ProcessorDeployment deployment) => string.Join(", ", deployment.Versions.Select(v => $"v{v.Version} {v.State}"));

    private static string Id(string processor, int version) => KappaNames.ConsumerGroup(processor, version);
}
