namespace Kappa.Processing;

/// <summary>A processor stopped because of an error it cannot skip; nothing past the failing record was committed.</summary>
public sealed class ProcessorFaultedException : Exception
{
    public ProcessorFaultedException(string processor, string message, Exception innerException, string? topic = null, int? partition = null, long? offset = null)
        : base(message, innerException)
    {
        Processor = processor;
        Topic = topic;
        Partition = partition;
        Offset = offset;
    }

    /// <summary>The processor version, <c>{name}.v{N}</c>.</summary>
    public string Processor { get; }

    /// <summary>Where the failing record sits, when a record failed (null for a failed flush or commit).</summary>
    public string? Topic { get; }

    public int? Partition { get; }

    public long? Offset { get; }
}
