namespace Kappa.State;

/// <summary>
/// Receives one changed entry of a <see cref="KeyValueStore{TState}"/>: the key, and the serialized state, or
/// <paramref name="isTombstone"/> = true (and an empty value) when the key was removed.
/// </summary>
public delegate void StateChangeHandler(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, bool isTombstone);
