using Kappa.Generators.Common;

namespace Kappa.Generators.State.Model;

/// <summary>A serialized member as declared (before field numbers are assigned from the lock file).</summary>
public sealed record StateMemberSpec(string Name, StateValueSpec Type, LocationInfo? Location);
