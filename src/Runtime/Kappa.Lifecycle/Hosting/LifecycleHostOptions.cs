using Kappa.Avro.Registry;
using Kappa.Processing;

namespace Kappa.Lifecycle.Hosting;

/// <summary>What the host's lifecycle service does: heartbeats always; promote and retire by itself in automatic mode.</summary>
public sealed class LifecycleHostOptions
{
    private readonly Dictionary<string, Func<KappaLifecycle, ISchemaRegistry?, VerificationResult>> _verifiers = new(StringComparer.Ordinal);

    /// <summary>Automatic mode: a newer version that is caught up and verified is promoted, and older ones retired after <see cref="RetireGracePeriod"/>.</summary>
    public bool Automatic { get; set; }

    /// <summary>How long an older version stays (Standby, for rollback) after a newer one serves, in automatic mode (default 1 hour).</summary>
    public TimeSpan RetireGracePeriod { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often the host heartbeats and, in automatic mode, checks its versions (default 5 s).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Thresholds of the operations; <see cref="LifecycleOptions.Instance"/> names this host in the registry.</summary>
    public LifecycleOptions Lifecycle { get; set; } = new();

    internal IReadOnlyDictionary<string, Func<KappaLifecycle, ISchemaRegistry?, VerificationResult>> Verifiers => _verifiers;

    /// <summary>
    /// Lets automatic mode and <c>kappa verify</c> verify <typeparamref name="TProcessor"/> (it needs the user's code). A
    /// processor with Confluent-framed inputs or outputs is verified with the schema registry the host configured: the
    /// processor's <see cref="ProcessorOptions.SchemaRegistry"/>, else the container's (<c>AddSchemaRegistry</c>).
    /// </summary>
    public LifecycleHostOptions Verify<TProcessor>(Func<TProcessor> factory)
        where TProcessor : class, IStreamProcessor<TProcessor>
    {
        ArgumentNullException.ThrowIfNull(factory);
        _verifiers[TProcessor.KappaDescriptor.Id] = (lifecycle, registry) => lifecycle.Verify(factory, registry);
        return this;
    }

    internal void Validate()
    {
        if (Interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Interval), Interval, "The lifecycle interval must be positive.");
        }

        if (RetireGracePeriod < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(RetireGracePeriod), RetireGracePeriod, "The retire grace period must be zero or positive.");
        }

        ArgumentNullException.ThrowIfNull(Lifecycle);
    }
}
