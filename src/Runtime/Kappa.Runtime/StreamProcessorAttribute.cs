namespace Kappa;

/// <summary>
/// Marks a partial class as a stream processor. The generator emits its dispatcher, registration and versioned names:
/// consumer group <c>{name}.v{Version}</c>, outputs <c>{sink}.v{Version}</c>, dead letters <c>{name}.v{Version}.dlq</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class StreamProcessorAttribute : Attribute
{
    public StreamProcessorAttribute(string name)
    {
        Name = name;
    }

    public string Name { get; }

    /// <summary>The processor version; a new version replays the log into new outputs.</summary>
    public int Version { get; set; } = 1;
}
