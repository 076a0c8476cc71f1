namespace Kappa.Testing;

/// <summary>
/// Thrown by the driver's assertions (determinism) and when a test asks for something the processor does not have
/// (an unknown sink, topic or store). Any test framework reports it as a failure.
/// </summary>
public sealed class KappaTestException : Exception
{
    public KappaTestException(string message)
        : base(message)
    {
    }

    public KappaTestException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
