using System.Linq;
using Kappa.Generators.Common;

namespace Kappa.Generators.Processors.Model;

/// <summary>Everything the emitter needs about one stream processor: symbol-free and equatable.</summary>
public sealed record ProcessorSpec(
    string? Namespace,
    string TypeName,
    TypeRef Type,
    string TypeKeyword,
    bool IsPublic,
    string Name,
    int Version,
    EquatableArray<ConstructorParameterSpec> ConstructorParameters,
    EquatableArray<HandlerSpec> Handlers,
    EquatableArray<SinkSpec> Sinks,
    EquatableArray<StateStoreSpec> Stores,
    EquatableArray<TableSinkSpec> Tables)
{
    /// <summary>Prefix of the generated files' hint names: the type's metadata name.</summary>
    public string HintPrefix => Namespace is null ? TypeName : Namespace + "." + TypeName;

    /// <summary>True when an input or a sink is Confluent-framed: the dispatcher then needs a schema registry.</summary>
    public bool HasFramedValues => Handlers.Any(h => h.InputFramed) || HasFramedOutputs;

    /// <summary>True when a sink is Confluent-framed (the dispatcher writes it with ProduceFramed).</summary>
    public bool HasFramedOutputs => Sinks.Any(s => s.Framed);

    /// <summary>True when a sink is plain Avro (the dispatcher writes it with Produce).</summary>
    public bool HasPlainOutputs => Sinks.Any(s => !s.Framed);
}
