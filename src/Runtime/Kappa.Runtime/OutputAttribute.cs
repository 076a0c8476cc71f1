namespace Kappa;

/// <summary>
/// Names the sink a handler's return values go to. The records are written to the versioned topic <c>{sink}.v{N}</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class OutputAttribute : Attribute
{
    public OutputAttribute(string sink)
    {
        Sink = sink;
    }

    public string Sink { get; }
}
