using System.Text;
using Kappa.Avro;
using Kappa.CrashHost;
using Kappa.State;

namespace Kappa.Integration.Tests.Resilience;

/// <summary>
/// Compares what a crashed-and-restarted processor committed with the uninterrupted reference run
/// (<see cref="CrashWorkload"/>).
/// Exact mode (embedded log, real Kafka): every input has exactly one output with the reference total, each key's outputs
/// are the reference sequence, every changelog value is a total of its key in the reference run and the newest per key
/// is the final total.
/// Mock mode (librdkafka's mock cluster shows aborted transactions to read_committed readers, so a restore there may
/// also apply aborted changelog records): every input has an output (nothing lost), at most <c>maxVisibleDuplicates</c>
/// extra copies, every output was computed from a state that existed (see VerifyContinuity: catches lost state), and the
/// newest changelog value per key equals the key's newest output (state and outputs agree).
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

            if (input.KeyText != output.Key || (exact && total != input.Total))
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

        if (!exact)
        {
            VerifyContinuity(workload, outputs, changelog, problems);
        }

        foreach (var (key, expected) in exact ? workload.SequenceByKey : new Dictionary<string, List<long>>())
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
            if (exact && (!reachable.TryGetValue(record.Key, out var totals) || !totals.Contains(total)))
            {
                problems.Add($"changelog {record.Partition}@{record.Offset}: key {record.Key} total {total} is not a total of that key in the reference run");
            }

            newest[record.Key] = total;
        }

        var finalTotals = exact ? workload.FinalTotals : NewestOutputs(outputs);
        foreach (var (key, total) in finalTotals)
        {
            if (!newest.TryGetValue(key, out long state) || state != total)
            {
                problems.Add($"final state of {key} (newest changelog record): {(newest.ContainsKey(key) ? state.ToString(System.Globalization.CultureInfo.InvariantCulture) : "missing")}, {(exact ? "reference" : "newest output")} {total}");
            }
        }

        if (problems.Count > 0)
        {
            var message = new StringBuilder();
            message.AppendLine($"{context}: results differ from the uninterrupted reference run ({(exact ? "exact: exactly-once" : "mock cluster: what it allows")}; {outputs.Count} outputs read, {duplicates} duplicate(s), {changelog.Count} changelog records):");
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

    /// <summary>
    /// Mock mode: the state every output was computed from existed. An output's total minus its input's amount is the
    /// state the processor held for the key: 0 (allowed only for the key's first input), or a total of that key that is
    /// visible in the output or changelog topic (committed, or left by an aborted transaction the mock does not hide).
    /// State that was lost (restarted from nothing) or invented fails this.
    /// </summary>
    private static void VerifyContinuity(CrashWorkload workload, List<TopicDump.Record> outputs, List<TopicDump.Record> changelog, List<string> problems)
    {
        var visible = new Dictionary<string, HashSet<long>>(StringComparer.Ordinal);
        foreach (var o in outputs)
        {
            Add(o.Key, AvroSerializer.Deserialize<TotalOutput>(o.Value).Total);
        }

        foreach (var c in changelog)
        {
            Add(c.Key, StateSerializer.Deserialize<RunningTotal>(c.Value).Total);
        }

        var firstOffset = workload.Inputs.GroupBy(i => i.KeyText).ToDictionary(g => g.Key, g => g.Min(i => i.Offset), StringComparer.Ordinal);
        int reported = 0;
        foreach (var o in outputs)
        {
            var decoded = AvroSerializer.Deserialize<TotalOutput>(o.Value);
            if (!workload.BySource.TryGetValue((decoded.SourcePartition, decoded.SourceOffset), out var input))
            {
                continue;
            }

            // 0 only before the key's first input (anywhere else it is lost state). A copy of any input, the first included,
            // may also come from a state restored from the changelog: the mock's non-atomic offset commit lets a batch
            // whose transaction committed be processed again on top of its own state.
            long before = decoded.Total - input.Amount;
            bool first = decoded.SourceOffset == firstOffset[input.KeyText];
            bool ok = before == 0 ? first : visible[input.KeyText].Contains(before);
            if (!ok && reported++ < 10)
            {
                problems.Add($"output {o.Partition}@{o.Offset} for source {decoded.SourcePartition}@{decoded.SourceOffset} (key {input.KeyText}, amount {input.Amount}) has total {decoded.Total}: it was computed from state {before}, which no visible record of the key ever held (state lost or invented)");
                if (reported == 1)
                {
                    // The whole visible history of the first such key, to tell lost outputs from invented state.
                    var history = outputs.Where(x => x.Key == input.KeyText).Select(x =>
                    {
                        var d = AvroSerializer.Deserialize<TotalOutput>(x.Value);
                        return $"out {x.Partition}@{x.Offset} src {d.SourcePartition}@{d.SourceOffset} total {d.Total}";
                    }).Concat(changelog.Where(c => c.Key == input.KeyText).Select(c => $"changelog {c.Partition}@{c.Offset} total {StateSerializer.Deserialize<RunningTotal>(c.Value).Total}"));
                    problems.Add($"  history of {input.KeyText} (reference: {string.Join(", ", workload.Inputs.Where(i => i.KeyText == input.KeyText).Take(12).Select(i => $"{i.Partition}@{i.Offset}={i.Total}"))}): {string.Join("; ", history.Take(40))}");
                }
            }
        }

        void Add(string key, long total)
        {
            if (!visible.TryGetValue(key, out var set))
            {
                visible[key] = set = new HashSet<long>();
            }

            set.Add(total);
        }
    }

    private static Dictionary<string, long> NewestOutputs(List<TopicDump.Record> outputs)
    {
        var newest = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var o in outputs)
        {
            newest[o.Key] = AvroSerializer.Deserialize<TotalOutput>(o.Value).Total; // in partition order: a key lives in one partition
        }

        return newest;
    }
}
