using Kappa.Generators.Common;

namespace Kappa.Generators.Processors.Model;

/// <summary>One [Consume] handler: the topic it reads (and whether it is Confluent-framed), how to call it and what it returns.</summary>
public sealed record HandlerSpec(
    string MethodName,
    bool IsStatic,
    string Topic,
    TypeRef InputType,
    bool HasContext,
    OutputShape Shape,
    TypeRef? OutputType,
    bool OutputIsNullableValue,
    int SinkIndex,
    StateParameterSpec? State = null,
    bool InputFramed = false);
