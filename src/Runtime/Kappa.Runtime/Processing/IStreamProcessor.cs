namespace Kappa.Processing;

/// <summary>
/// Implemented by the generator on every <see cref="StreamProcessorAttribute"/> class: static members, so the host
/// finds a processor's names and dispatcher without reflection.
/// </summary>
public interface IStreamProcessor<TSelf>
    where TSelf : class, IStreamProcessor<TSelf>
{
    /// <summary>Names, version and topics of this processor.</summary>
    static abstract ProcessorDescriptor KappaDescriptor { get; }

    /// <summary>Creates the dispatcher that decodes records, calls this processor's handlers and produces their outputs.</summary>
    static abstract IProcessorDispatcher CreateKappaDispatcher(TSelf processor);
}
