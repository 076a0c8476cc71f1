namespace Kappa.Runtime.Tests.Avro.Properties;

/// <summary>
/// Reads decisions from CsCheck-generated entropy: each <see cref="Next"/> consumes one number; once the entropy is
/// used up every decision is 0 (the simplest choice), so CsCheck shrinks a case by shortening and zeroing the entropy.
/// </summary>
internal sealed class Choices(uint[] entropy)
{
    private int _index;

    /// <summary>A number in [0, <paramref name="count"/>).</summary>
    public int Next(int count)
    {
        if (count <= 1)
        {
            return 0;
        }

        uint value = _index < entropy.Length ? entropy[_index++] : 0;
        return (int)(value % (uint)count);
    }

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>Fisher-Yates shuffle driven by the entropy (all zeros leaves the order as is).</summary>
    public void Shuffle<T>(IList<T> items)
    {
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = i - Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
