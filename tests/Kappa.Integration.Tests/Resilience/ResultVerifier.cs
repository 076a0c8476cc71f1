using System.Text;
using Kappa.Avro;
using Kappa.CrashHost;
using Kappa.State;

namespace Kappa.Integration.Tests.Resilience;

/// <summary>
/// Compares what a crashed-and-restarted processor committed with the uninterrupted reference run
/// (<see cref="CrashWorkload"/>). Exact mode: every input has exactly one output, each key's outputs are the reference
/// sequence, every changelog value is a total of its key in the reference run and the newest per key is the final total. Mock mode (librdkafka's
/// mock cluster shows aborted transactions to read_committed readers): every input has an output and every visible copy
/// carries the reference value (so restored state was right), at most <c>maxVisibleDuplicates</c> extra copies, each key's
/// distinct outputs in reference order, and the changelog as in exact mode.
/// </summary>
internal static class ResultVerifier
{
    public static void Verify(CrashWorkload workload, List<TopicDump.Record> outputs, List<TopicDump.Record> changelog, bool exact, int maxVisibleDuplicates, string context)
    {
        var problems = new List<string>();
        var copies = new Dictionary<(int, long), int>();
        var firstSeenOrder = new Dictionary<string, List<long>>(StringComparer.Ordinal);
        foreach (var output in outputs)
        {
            var decoded = AvroSerializer.Deserialize<TotalOutput>(output.Value);
            var (sourcePartition, sourceOffset, total) = (decoded.SourcePartition, decoded.SourceOffset, decoded.Total);
            if (!workload.BySource.TryGetValue((sourcePartition, sourceOffset), out var input))
            {
                problems.Add($"output {output.Partition}@{output.Offset} names source {sourcePartition}@{sourceOffset}, which is not an input");
                continue;
            }

            if (input.KeyText != output.Key || total != input.Total)
            {
                problems.Add($"output {output.Partition}@{output.Offset} for source {sourcePartition}@{sourceOffset}: key {output.Key} total {total}; the reference run gives key {input.KeyText} total {input.Total}");
            }

            copies.TryGetValue((sourcePartition, sourceOffset), out int n);
            copies[(sourcePartition, sourceOffset)] = n + 1;
            if (n == 0)
            {
                if (!firstSeenOrder.TryGetValue(input.KeyText, out var list))
                {
                    firstSeenOrder[input.KeyText] = list = new List<long>();
                }

                list.Add(total);
            }
        }

        var missing = workload.Inputs.Where(i => !copies.ContainsKey((i.Partition, i.Offset))).ToList();
        if (missing.Count > 0)
        {
            problems.Add($"{missing.Count} input(s) have no output (lost), e.g. {string.Join(", ", missing.Take(5).Select(m => $"{m.Partition}@{m.Offset}"))}");
        }

        int duplicates = copies.Values.Sum(c => c - 1);
        if (exact && duplicates > 0)
        {
            var dup = copies.Where(c => c.Value > 1).Take(5).Select(c => $"{c.Key.Item1}@{c.Key.Item2} x{c.Value}");
            problems.Add($"{duplicates} duplicated output(s) (exactly-once violated), e.g. {string.Join(", ", dup)}");
        }
        else if (!exact && duplicates > maxVisibleDuplicates)
        {
            problems.Add($"{duplicates} duplicated output(s); the mock's visible aborted transactions explain at most {maxVisibleDuplicates}");
        }

        foreach (var (key, expected) in workload.SequenceByKey)
        {
            List<long> actual = exact
                ? outputs.Where(o => o.Key == key).Select(o => AvroSerializer.Deserialize<TotalOutput>(o.Value).Total).ToList()
                : firstSeenOrder.GetValueOrDefault(key) ?? new List<long>();
            if (!actual.SequenceEqual(expected))
            {
                int at = Enumerable.Range(0, Math.Min(actual.Count, expected.Count)).FirstOrDefault(i => actual[i] != expected[i], Math.Min(actual.Count, expected.Count));
                problems.Add($"key {key}: output sequence differs from the reference at index {at} (got {actual.Count} outputs, expected {expected.Count}; " +
                             $"got {(at < actual.Count ? actual[at].ToString(System.Globalization.CultureInfo.InvariantCulture) : "nothing")}, expected {(at < expected.Count ? expected[at].ToString(System.Globalization.CultureInfo.InvariantCulture) : "nothing")})");
            }
        }

        // State: the changelog. Every value must be one of the key's reference totals; the newest per key the final total.
        var newest = new Dictionary<string, long>(StringComparer.Ordinal);
        var reachable = workload.SequenceByKey.ToDictionary(k => k.Key, k => k.Value.ToHashSet(), StringComparer.Ordinal);
        foreach (var record in changelog)
        {
            long total = StateSerializer.Deserialize<RunningTotal>(record.Value).Total;
            if (!reachable.TryGetValue(record.Key, out var totals) || !totals.Contains(total))
            {
                problems.Add($"changelog {record.Partition}@{record.Offset}: key {record.Key} total {total} is not a total of that key in the reference run");
            }

            newest[record.Key] = total;
        }

        foreach (var (key, total) in workload.FinalTotals)
        {
            if (!newest.TryGetValue(key, out long state) || state != total)
            {
                problems.Add($"final state of {key} (newest changelog record): {(newest.ContainsKey(key) ? state.ToString(System.Globalization.CultureInfo.InvariantCulture) : "missing")}, reference {total}");
            }
        }

        if (problems.Count > 0)
        {
            var message = new StringBuilder();
            message.AppendLine($"{context}: results differ from the uninterrupted reference run ({(exact ? "exact: exactly-once" : "bounded: duplicates allowed, values exact")}; {outputs.Count} outputs read, {duplicates} duplicate(s), {changelog.Count} changelog records):");
            foreach (string p in problems.Take(25))
            {
                message.AppendLine("  " + p);
            }

            if (problems.Count > 25)
            {
                message.AppendLine($"  ... and {problems.Count - 25} more");
            }

            Assert.Fail(message.ToString());
        }
    }
}
