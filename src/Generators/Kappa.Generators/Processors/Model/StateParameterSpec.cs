using Kappa.Generators.Common;

namespace Kappa.Generators.Processors.Model;

/// <summary>A handler's <c>ref</c> state parameter: the store it lives in and whether the handler sees (and may set) null.</summary>
public sealed record StateParameterSpec(string StoreName, int StoreIndex, TypeRef StateType, bool Nullable);
