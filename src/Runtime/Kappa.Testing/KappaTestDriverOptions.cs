using Kappa.Processing;

namespace Kappa.Testing;

/// <summary>How a <see cref="KappaTestDriver"/> runs its processor.</summary>
public sealed class KappaTestDriverOptions
{
    /// <summary>In memory (the default) or over a temporary embedded log.</summary>
    public TestStorage Storage { get; set; } = TestStorage.InMemory;

    /// <summary>Partitions of each input topic the driver creates (outputs, dead letters and changelogs get as many). Default 1.</summary>
    public int InputPartitions { get; set; } = 1;

    /// <summary>
    /// The time a piped record gets when the test gives it none; <see cref="KappaTestDriver.AdvanceTime"/> moves it.
    /// Default 2026-01-01T00:00:00Z. Nothing in the driver reads the clock.
    /// </summary>
    public DateTimeOffset StartTime { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The runner's options (guarantee, handler error policy, batch size, ...).</summary>
    public ProcessorOptions Processor { get; set; } = new();

    /// <summary>
    /// How long a driver call waits for the processor to finish what was piped before it throws
    /// <see cref="KappaTestException"/> (a safety net against a hung processor, not a time budget). Default 2 minutes.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(2);

    internal void Validate()
    {
        if (Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Timeout), Timeout, "The timeout must be positive.");
        }

        if (!Enum.IsDefined(Storage))
        {
            throw new ArgumentOutOfRangeException(nameof(Storage), Storage, "Unknown test storage.");
        }

        if (InputPartitions < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(InputPartitions), InputPartitions, "An input topic has at least one partition.");
        }

        ArgumentNullException.ThrowIfNull(Processor);
        Processor.Validate();
    }
}
