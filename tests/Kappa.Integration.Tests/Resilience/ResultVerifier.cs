using System.Text;
using Kappa.CrashHost;

namespace Kappa.Integration.Tests.Resilience;

/// <summary>
/// Compares what a crashed-and-restarted processor committed with the uninterrupted reference run
/// (<see cref="CrashWorkload"/>). Exact mode: every input has exactly one output, each key's outputs are the reference
/// sequence, the changelog holds one record per input and its newest value per key is the final total. Mock mode (librdkafka's
/// mock cluster shows aborted transactions to read_committed readers): every input has an output and every visible copy
/// carries the reference value (so restored state was right), at most <c>maxVisibleDuplicates</c> extra copies, each key's
/// distinct outputs in reference order, and the changelog's newest value per key (by source offset) is the final total.
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
            var (sourcePartition, sourceOffset, total) = CrashRecords.ReadOutput(output.Value);
            if (!workload.BySource.TryGetValue((sourcePartition, sourceOffset), out var input))
            {
                problems.Add($"output {output.Partition}@{output.Offset} names source {sourcePartition}@{sourceOffset}, which is not an input");
                continue;
            }

            if (input.KeyText != output.Key || total != input.Total || output.Partition != sourcePartition)
            {
                problems.Add($"output {output.Partition}@{output.Offset} for source {sourcePartition}@{sourceOffset}: key {output.Key} total {total}; the reference run gives key {input.KeyText} total {input.Total} on partition {sourcePartition}");
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
                ? outputs.Where(o => o.Key == key).Select(o => CrashRecords.ReadOutput(o.Value).Total).ToList()
                : firstSeenOrder.GetValueOrDefault(key) ?? new List<long>();
            if (!actual.SequenceEqual(expected))
            {
                int at = Enumerable.Range(0, Math.Min(actual.Count, expected.Count)).FirstOrDefault(i => actual[i] != expected[i], Math.Min(actual.Count, expected.Count));
                problems.Add($"key {key}: output sequence differs from the reference at index {at} (got {actual.Count} outputs, expected {expected.Count}; " +
                             $"got {(at < actual.Count ? actual[at].ToString(System.Globalization.CultureInfo.InvariantCulture) : "nothing")}, expected {(at < expected.Count ? expected[at].ToString(System.Globalization.CultureInfo.InvariantCulture) : "nothing")})");
            }
        }

        // State: the changelog.
        var newest = new Dictionary<string, (long Source, long Total)>(StringComparer.Ordinal);
        foreach (var record in changelog)
        {
            var (source, total) = CrashRecords.ReadChangelog(record.Value);
            if (!workload.BySource.TryGetValue((record.Partition, source), out var input) || input.KeyText != record.Key || input.Total != total)
            {
                problems.Add($"changelog {record.Partition}@{record.Offset}: key {record.Key} source {source} total {total} does not match the reference run");
                continue;
            }

            if (exact || !newest.TryGetValue(record.Key, out var known) || source >= known.Source)
            {
                newest[record.Key] = (source, total);
            }
        }

        if (exact && changelog.Count != workload.Inputs.Count)
        {
            problems.Add($"the changelog holds {changelog.Count} committed record(s); exactly one per input ({workload.Inputs.Count}) expected");
        }

        foreach (var (key, total) in workload.FinalTotals)
        {
            if (!newest.TryGetValue(key, out var state) || state.Total != total)
            {
                problems.Add($"final state of {key}: {(newest.ContainsKey(key) ? state.Total.ToString(System.Globalization.CultureInfo.InvariantCulture) : "missing")}, reference {total}");
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
