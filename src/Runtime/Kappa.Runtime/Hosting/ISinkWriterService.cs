using Kappa.Sinks;

namespace Kappa.Hosting;

/// <summary>A hosted sink writer, whatever its record type: which table it writes and how far behind its topic it is.</summary>
public interface ISinkWriterService
{
    /// <summary>The sink version the writer materializes.</summary>
    SinkTarget Target { get; }

    /// <summary>The database the writer materializes the table into.</summary>
    ISinkDatabase Database { get; }

    /// <summary>Records of the topic not yet committed to the table at the last measurement (-1 before the first).</summary>
    long Lag { get; }
}
