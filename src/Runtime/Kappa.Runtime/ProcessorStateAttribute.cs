namespace Kappa;

/// <summary>Marks a partial struct or class as per-key processor state with a generated, deterministic, versioned serializer.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = false)]
public sealed class ProcessorStateAttribute : Attribute
{
}
