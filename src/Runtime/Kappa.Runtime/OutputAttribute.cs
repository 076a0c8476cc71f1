using Kappa.Avro.Registry;

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

    /// <summary>
    /// How output values are encoded: <see cref="ValueFormat.Avro"/> (the default: the Avro body alone) or
    /// <see cref="ValueFormat.ConfluentAvro"/> (Confluent-framed: the output type's schema is registered in the
    /// processor's schema registry under the subject <see cref="SubjectNameStrategy"/> names, and its id written before
    /// each body). Every handler writing one sink must declare the same format and strategy (KAPPA039).
    /// </summary>
    public ValueFormat Format { get; set; } = ValueFormat.Avro;

    /// <summary>
    /// The subject a <see cref="ValueFormat.ConfluentAvro"/> output's schema is registered under:
    /// <see cref="Avro.Registry.SubjectNameStrategy.Topic"/> (<c>{sink}.v{N}-value</c>, the default),
    /// <see cref="Avro.Registry.SubjectNameStrategy.Record"/> or <see cref="Avro.Registry.SubjectNameStrategy.TopicRecord"/>.
    /// Ignored for <see cref="ValueFormat.Avro"/> outputs.
    /// </summary>
    public SubjectNameStrategy SubjectNameStrategy { get; set; } = SubjectNameStrategy.Topic;
}
