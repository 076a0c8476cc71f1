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

    /// <summary>
    /// How the topic's values are encoded: <see cref="ValueFormat.Avro"/> (the default: the Avro body alone, written with
    /// the handler's input type's schema) or <see cref="ValueFormat.ConfluentAvro"/> (Confluent-framed with a schema id;
    /// the writer schema is fetched from the processor's schema registry and resolved to the input type).
    /// </summary>
    public ValueFormat Format { get; set; } = ValueFormat.Avro;
}
