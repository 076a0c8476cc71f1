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
    EquatableArray<string> Sinks,
    EquatableArray<StateStoreSpec> Stores,
    EquatableArray<TableSinkSpec> Tables)
{
    /// <summary>Prefix of the generated files' hint names: the type's metadata name.</summary>
    public string HintPrefix => Namespace is null ? TypeName : Namespace + "." + TypeName;
}
