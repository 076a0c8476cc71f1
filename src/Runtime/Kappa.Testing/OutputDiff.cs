using Kappa.Avro;

namespace Kappa.Testing;

/// <summary>
/// The per-key difference of one sink's outputs between two processor versions run over the same input. Outputs are
/// compared by their encoded bytes, key by key, in order; a key is listed when its sequences differ.
/// </summary>
public sealed class OutputDiff<TOut>
    where TOut : IAvroRecord<TOut>
{
    private OutputDiff(int keys, IReadOnlyList<KeyOutputDifference<TOut>> differences)
    {
        KeysCompared = keys;
        Differences = differences;
    }

    /// <summary>Distinct keys with outputs in either version.</summary>
    public int KeysCompared { get; }

    /// <summary>The keys whose outputs differ, in ordinal key order (a null key first).</summary>
    public IReadOnlyList<KeyOutputDifference<TOut>> Differences { get; }

    public bool IsEmpty => Differences.Count == 0;

    /// <summary>Keys that only the second version produced anything for.</summary>
    public IEnumerable<KeyOutputDifference<TOut>> Added => Differences.Where(d => d.Before.Count == 0);

    /// <summary>Keys that only the first version produced anything for.</summary>
    public IEnumerable<KeyOutputDifference<TOut>> Removed => Differences.Where(d => d.After.Count == 0);

    /// <summary>Keys both versions produced for, differently.</summary>
    public IEnumerable<KeyOutputDifference<TOut>> Changed => Differences.Where(d => d.Before.Count > 0 && d.After.Count > 0);

    public override string ToString() =>
        IsEmpty ? $"no difference over {KeysCompared} keys" : $"{Differences.Count} of {KeysCompared} keys differ: " + string.Join("; ", Differences.Take(10));

    internal static OutputDiff<TOut> Compute(IReadOnlyList<TestRecord<TOut>> before, IReadOnlyList<TestRecord<TOut>> after)
    {
        var byKey = new SortedDictionary<string, (byte[]? Key, List<TOut> Before, List<TOut> After)>(StringComparer.Ordinal);
        Collect(before, byKey, first: true);
        Collect(after, byKey, first: false);
        var differences = new List<KeyOutputDifference<TOut>>();
        foreach (var (key, before1, after1) in byKey.Values)
        {
            if (!SameBytes(before1, after1))
            {
                differences.Add(new KeyOutputDifference<TOut>(key, before1, after1));
            }
        }

        return new OutputDiff<TOut>(byKey.Count, differences);
    }

    private static void Collect(IReadOnlyList<TestRecord<TOut>> records, SortedDictionary<string, (byte[]? Key, List<TOut> Before, List<TOut> After)> byKey, bool first)
    {
        foreach (TestRecord<TOut> record in records)
        {
            // "-" sorts the null key before every hex key ("0".."F").
            string id = record.Key is null ? "-" : Convert.ToHexString(record.Key);
            if (!byKey.TryGetValue(id, out var entry))
            {
                entry = (record.Key, new List<TOut>(), new List<TOut>());
                byKey[id] = entry;
            }

            (first ? entry.Before : entry.After).Add(record.Value);
        }
    }

    private static bool SameBytes(List<TOut> a, List<TOut> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        for (int i = 0; i < a.Count; i++)
        {
            if (!AvroSerializer.SerializeToArray(a[i]).AsSpan().SequenceEqual(AvroSerializer.SerializeToArray(b[i])))
            {
                return false;
            }
        }

        return true;
    }
}
