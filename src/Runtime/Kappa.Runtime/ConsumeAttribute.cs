namespace Kappa;

/// <summary>Marks a method of a <see cref="StreamProcessorAttribute"/> class as the handler of one input topic.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class ConsumeAttribute : Attribute
{
    public ConsumeAttribute(string topic)
    {
        Topic = topic;
    }

    /// <summary>The input topic (input logs are not versioned).</summary>
    public string Topic { get; }
}
