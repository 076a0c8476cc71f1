using Kappa.Generators.Avro.Model;
using Kappa.Generators.Common;

namespace Kappa.Generators.Avro.History.Model;

/// <summary>
/// The generated resolving decoders of one [AvroRecord] type: one per schema recorded in its history other than the
/// current one (Templates/AvroResolvingDecoders.scriban-cs). Equatable: the method bodies are pre-rendered strings.
/// </summary>
public sealed record AvroResolvingSpec(
    string? Namespace,
    string TypeName,
    string Keyword,
    string FullyQualifiedName,
    string HintName,
    bool HidesInheritedCodec,
    EquatableArray<ContainingTypeSpec> ContainingTypes,
    EquatableArray<AvroResolvingVersionSpec> Versions);

/// <summary>
/// One recorded writer schema: its version and fingerprint, and either the name of the generated decoder with the code
/// of its methods, or why none is generated (the run-time resolution plan reads that data instead).
/// </summary>
public sealed record AvroResolvingVersionSpec(int Version, long Fingerprint, string? MethodName, string Code, string? NotGeneratedReason);
