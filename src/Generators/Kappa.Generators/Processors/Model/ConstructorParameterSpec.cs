using Kappa.Generators.Common;

namespace Kappa.Generators.Processors.Model;

/// <summary>A parameter of the constructor the generated registration calls, resolved from the service provider.</summary>
public sealed record ConstructorParameterSpec(TypeRef Type, bool IsOptional);
