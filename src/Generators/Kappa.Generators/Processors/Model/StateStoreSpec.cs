using Kappa.Generators.Common;

namespace Kappa.Generators.Processors.Model;

/// <summary>One state store of a processor: its name and state type.</summary>
public sealed record StateStoreSpec(string Name, TypeRef StateType);
