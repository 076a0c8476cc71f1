namespace Kappa;

/// <summary>
/// A value of one of 2 types: as an <c>[AvroRecord]</c> member, the Avro union of its branches in type-argument order
/// (<c>["T1", "T2"]</c>). <see cref="Index"/> says which branch it holds; implicit conversions from each branch type
/// create it. The branches must map to different Avro types (two <c>int</c>s, or <c>string</c> and <c>Guid</c>, are one
/// Avro type) and may not be nullable or unions (make the whole member nullable: <c>AvroUnion&lt;...&gt;?</c> adds
/// <c>"null"</c>). No boxing: each branch has its own field.
/// </summary>
public readonly struct AvroUnion<T1, T2> : IEquatable<AvroUnion<T1, T2>>
{
    private readonly T1 _item1;
    private readonly T2 _item2;

    private AvroUnion(int index, T1 item1, T2 item2)
    {
        Index = index;
        _item1 = item1;
        _item2 = item2;
    }

    /// <summary>The branch this value holds (0 for <typeparamref name="T1"/>, ...).</summary>
    public int Index { get; }

    /// <summary>A union holding branch 0 (<typeparamref name="T1"/>).</summary>
    public static AvroUnion<T1, T2> FromItem1(T1 value) => new(0, value, default!);

    public static implicit operator AvroUnion<T1, T2>(T1 value) => FromItem1(value);

    /// <summary>A union holding branch 1 (<typeparamref name="T2"/>).</summary>
    public static AvroUnion<T1, T2> FromItem2(T2 value) => new(1, default!, value);

    public static implicit operator AvroUnion<T1, T2>(T2 value) => FromItem2(value);

    /// <summary>Branch 0's value; throws when the union holds another branch.</summary>
    public T1 Item1 => Index == 0 ? _item1 : throw WrongBranch(0);

    public bool IsItem1 => Index == 0;

    /// <summary>Branch 1's value; throws when the union holds another branch.</summary>
    public T2 Item2 => Index == 1 ? _item2 : throw WrongBranch(1);

    public bool IsItem2 => Index == 1;

    public static bool operator ==(AvroUnion<T1, T2> left, AvroUnion<T1, T2> right) => left.Equals(right);

    public static bool operator !=(AvroUnion<T1, T2> left, AvroUnion<T1, T2> right) => !left.Equals(right);

    /// <summary>Calls the function of the branch this value holds.</summary>
    public TResult Match<TResult>(Func<T1, TResult> item1, Func<T2, TResult> item2) => Index switch
    {
        0 => item1(_item1),
        _ => item2(_item2),
    };

    public bool Equals(AvroUnion<T1, T2> other) => Index == other.Index && EqualityComparer<T1>.Default.Equals(_item1, other._item1) && EqualityComparer<T2>.Default.Equals(_item2, other._item2);

    public override bool Equals(object? obj) => obj is AvroUnion<T1, T2> other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Index, _item1, _item2);

    public override string ToString() => Index switch
    {
        0 => Convert.ToString(_item1, System.Globalization.CultureInfo.InvariantCulture) ?? "null",
        _ => Convert.ToString(_item2, System.Globalization.CultureInfo.InvariantCulture) ?? "null",
    };

    private InvalidOperationException WrongBranch(int wanted) =>
        new($"The union holds branch {Index}, not branch {wanted}.");
}
