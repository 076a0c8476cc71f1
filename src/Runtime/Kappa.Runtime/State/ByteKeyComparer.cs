using System.Runtime.InteropServices;

namespace Kappa.State;

/// <summary>
/// Ordinal equality for record-key bytes, with a <see cref="ReadOnlySpan{T}"/> alternate key so lookups by a span
/// from the transport do not allocate. Hash codes are only used inside one process (never persisted or iterated).
/// </summary>
public sealed class ByteKeyComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>, IComparer<byte[]>
{
    public static ByteKeyComparer Instance { get; } = new();

    private ByteKeyComparer()
    {
    }

    public bool Equals(byte[]? x, byte[]? y) =>
        ReferenceEquals(x, y) || (x is not null && y is not null && x.AsSpan().SequenceEqual(y));

    public int GetHashCode(byte[] obj) => GetHashCode((ReadOnlySpan<byte>)obj);

    public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

    public int GetHashCode(ReadOnlySpan<byte> alternate)
    {
        var hash = default(HashCode);
        hash.AddBytes(alternate);
        return hash.ToHashCode();
    }

    public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();

    /// <summary>Ordinal (unsigned lexicographic) byte order: the order changes are written in.</summary>
    public int Compare(byte[]? x, byte[]? y) =>
        x is null ? (y is null ? 0 : -1) : y is null ? 1 : x.AsSpan().SequenceCompareTo(y);

    internal static ReadOnlySpan<byte> AsSpan(byte[] key) => MemoryMarshal.CreateReadOnlySpan(ref MemoryMarshal.GetArrayDataReference(key), key.Length);
}
