using Kappa.Generators.Common;

namespace Kappa.Generators.Processors.Model;

/// <summary>Name and version of a processor with where it is declared, for the duplicate check across the compilation.</summary>
public sealed record ProcessorIdentity(string Name, int Version, string TypeDisplayName, LocationInfo? Location);
