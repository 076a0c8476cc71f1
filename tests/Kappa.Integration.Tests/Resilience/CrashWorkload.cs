using System.Text;
using Kappa.CrashHost;
using Kappa.Transport;

namespace Kappa.Integration.Tests.Resilience;

/// <summary>
/// The input of a crash test (keys, amounts, partitions: fixed by a seed) and the uninterrupted reference run of the
/// running-totals processor over it: the total after every input record, per key in input order.
/// </summary>
internal sealed class CrashWorkload
{
    public CrashWorkload(int records, int keys, int partitions, int seed)
    {
        Partitions = partitions;
        var random = new Random(seed);
        var offsets = new long[partitions];
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        for (int i = 0; i < records; i++)
        {
            int key = random.Next(keys);
            int partition = key % partitions;
            long amount = random.Next(1, 1000);
            string keyText = KeyText(key);
            totals.TryGetValue(keyText, out long total);
            total += amount;
            totals[keyText] = total;
            var input = new Input(key, keyText, partition, offsets[partition]++, amount, total);
            Inputs.Add(input);
            BySource[(partition, input.Offset)] = input;
            if (!SequenceByKey.TryGetValue(keyText, out var sequence))
            {
                SequenceByKey[keyText] = sequence = new List<long>();
            }

            sequence.Add(total);
        }

        RecordsPerPartition = offsets;
        FinalTotals = totals;
    }

    public sealed record Input(int Key, string KeyText, int Partition, long Offset, long Amount, long Total);

    public int Partitions { get; }

    public List<Input> Inputs { get; } = new();

    public Dictionary<(int Partition, long Offset), Input> BySource { get; } = new();

    public Dictionary<string, List<long>> SequenceByKey { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, long> FinalTotals { get; }

    public long[] RecordsPerPartition { get; }

    public static string KeyText(int key) => "key-" + key.ToString("D5", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Writes the inputs to explicit partitions (key modulo partitions) and checks they landed at the expected offsets.</summary>
    public void Produce(IKappaTransport transport, string topic)
    {
        using (var producer = transport.CreateProducer(new ProducerSettings { ClientId = "crash-test-input" }))
        {
            foreach (var input in Inputs)
            {
                producer.Produce(new OutgoingRecord(topic, Encoding.UTF8.GetBytes(input.KeyText), Kappa.Avro.AvroSerializer.SerializeToArray(new AmountInput(input.Amount))) { Partition = input.Partition });
            }

            producer.Flush();
        }

        for (int p = 0; p < Partitions; p++)
        {
            var w = transport.GetWatermarks(new TopicPartition(topic, p));
            if (w.Low != 0 || w.High != RecordsPerPartition[p])
            {
                throw new InvalidOperationException($"Input {topic}-{p} should hold offsets 0..{RecordsPerPartition[p] - 1} after writing the workload but has [{w.Low}, {w.High}); use fresh topics.");
            }
        }
    }
}
