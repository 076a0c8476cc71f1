// The whole Kappa story on the embedded log, no Kafka needed:
//   1. an order log is written (with one corrupt record in it);
//   2. enrich-orders v1 replays it from offset 0 into enriched-orders.v1 and catches up;
//   3. the logic changes: v2 replays the same log into its own output, enriched-orders.v2, while v1's stays untouched;
//   4. the two versions' outputs are compared by key (the check before promotion), and v2 is run again over a second
//      copy of the log to prove the replay is deterministic (identical output checksums);
//   5. each version's output is materialized into its own SQLite table (enriched_orders_v1, _v2) next to the log, and
//      the serving view enriched_orders, which applications query, is switched from v1 to v2 in one transaction.
// Usage: dotnet run -c Release --project samples/Kappa.Samples.Orders [-- --orders N] [--data DIR]
using System.Diagnostics;
using Kappa.Avro;
using Kappa.Log;
using Kappa.Processing;
using Kappa.Samples.Orders;
using Kappa.Sinks;
using Kappa.Transport;

int orders = 20_000;
string dataRoot = Path.Combine(Path.GetTempPath(), "kappa-orders-sample");
for (int i = 0; i < args.Length - 1; i++)
{
    if (args[i] == "--orders" && !int.TryParse(args[i + 1], out orders))
    {
        Console.Error.WriteLine($"--orders expects a number, got '{args[i + 1]}'.");
        return 2;
    }

    if (args[i] == "--data")
    {
        dataRoot = args[i + 1];
    }
}

const int Partitions = 4;
if (Directory.Exists(dataRoot))
{
    Directory.Delete(dataRoot, recursive: true);
}

Console.WriteLine($"Kappa orders sample: embedded Kafka-format log under {dataRoot}");
using var transport = new EmbeddedLogTransport(new EmbeddedLogOptions { Directory = Path.Combine(dataRoot, "main"), FsyncPolicy = FsyncPolicy.Never });

// 1. The log.
var sw = Stopwatch.StartNew();
int written = OrderFeed.Write(transport, orders, Partitions);
Console.WriteLine($"1. wrote {written:N0} records to '{OrderFeed.Topic}' ({Partitions} partitions, 1 of them corrupt) in {sw.ElapsedMilliseconds} ms");

// 2. Version 1 replays the log from offset 0, into its topic and its serving table; the view serves it.
var serving = new ServingTables(transport, Path.Combine(dataRoot, "serving.db"));
var v1 = ProcessorRunner.Create(new EnrichOrdersV1(), transport);
Replay(v1, "2. v1");
SinkTarget table1 = serving.Materialize(1);
serving.Database.SwitchServingView(table1);
Console.WriteLine($"   -> table {table1.Table} in {serving.Database.Description}: {serving.Describe(table1.Table)}; view {table1.View} serves v{serving.Database.GetServingVersion(ServingTables.Sink)}");

// 3. Version 2: new logic, new output topic and table, same input log, from offset 0; the view still serves v1.
var v2 = ProcessorRunner.Create(new EnrichOrdersV2(), transport);
Replay(v2, "3. v2");
SinkTarget table2 = serving.Materialize(2);
Console.WriteLine($"   -> table {table2.Table}: {serving.Describe(table2.Table)}; view {table2.View} still serves v{serving.Database.GetServingVersion(ServingTables.Sink)}: {serving.Describe(table2.View)}");

// 4a. Compare outputs by key before promoting v2.
Dictionary<string, EnrichedOrder> out1 = ReadOutputs(transport, v1.Descriptor.OutputTopics[0]);
Dictionary<string, EnrichedOrder> out2 = ReadOutputs(transport, v2.Descriptor.OutputTopics[0]);
int same = 0, changed = 0, dropped = 0;
string? example = null;
foreach (var (id, a) in out1.OrderBy(p => p.Key, StringComparer.Ordinal))
{
    if (!out2.TryGetValue(id, out EnrichedOrder? b))
    {
        dropped++;
        continue;
    }

    if (a == b)
    {
        same++;
    }
    else
    {
        changed++;
        example ??= $"{id}: {a.Tier} -> {b.Tier} (amount {a.Amount})";
    }
}

Console.WriteLine($"4. v1 vs v2 by key: {same:N0} equal, {changed:N0} changed (e.g. {example}), {dropped:N0} only in v1 (zero-amount orders v2 no longer publishes), {out2.Keys.Count(k => !out1.ContainsKey(k))} only in v2");

// 4b. Determinism: v2 over an identical second copy of the log must produce identical bytes.
using (var replica = new EmbeddedLogTransport(new EmbeddedLogOptions { Directory = Path.Combine(dataRoot, "replica"), FsyncPolicy = FsyncPolicy.Never }))
{
    OrderFeed.Write(replica, orders, Partitions);
    var again = ProcessorRunner.Create(new EnrichOrdersV2(), replica);
    ProcessorLag.RunUntilCaughtUp(again, replica, TimeSpan.FromMinutes(5));
    string first = TopicReader.Checksum(transport, v2.Descriptor.OutputTopics[0]);
    string second = TopicReader.Checksum(replica, again.Descriptor.OutputTopics[0]);
    Console.WriteLine($"   replay check: v2 output checksum {first} on the log, {second} on its copy: {(first == second ? "identical, deterministic" : "DIFFERENT")}");
    if (first != second)
    {
        return 1;
    }
}

// 5. Promote: the view switches to v2's table in one transaction (readers see all-v1 or all-v2 rows, never a mix).
serving.Database.SwitchServingView(table2);
Console.WriteLine($"5. view {table2.View} now serves v{serving.Database.GetServingVersion(ServingTables.Sink)}: {serving.Describe(table2.View)}; {table1.Table} stays until v1 is retired (docs/operations.md)");
return 0;

void Replay(ProcessorRunner runner, string label)
{
    var watch = Stopwatch.StartNew();
    IReadOnlyList<PartitionLag> lags = ProcessorLag.RunUntilCaughtUp(runner, transport, TimeSpan.FromMinutes(5));
    double seconds = watch.Elapsed.TotalSeconds;
    long outputs = runner.Descriptor.OutputTopics.Sum(t => Count(t));
    long dead = Count(runner.Descriptor.DeadLetterTopic);
    Console.WriteLine($"{label}: group {runner.Descriptor.ConsumerGroup} replayed {runner.RecordsProcessed:N0} records from offset 0 in {seconds:F2} s ({runner.RecordsProcessed / seconds:N0} records/s)");
    Console.WriteLine($"   -> {outputs:N0} records in {string.Join(", ", runner.Descriptor.OutputTopics)}, {dead} in {runner.Descriptor.DeadLetterTopic}; lag per partition: {string.Join(" ", lags.Select(l => l.Lag))} (caught up)");
    if (dead > 0)
    {
        TopicReader.ReadAll(transport, runner.Descriptor.DeadLetterTopic, (in ConsumedRecord r) =>
            Console.WriteLine($"   dead letter from {r.Headers.GetLastString(DeadLetterHeaders.Topic)}-{r.Headers.GetLastString(DeadLetterHeaders.Partition)}@{r.Headers.GetLastString(DeadLetterHeaders.Offset)}: {r.Headers.GetLastString(DeadLetterHeaders.Error)}"));
    }
}

long Count(string topic)
{
    int partitions = transport.GetPartitionCount(topic) ?? 0;
    long n = 0;
    for (int p = 0; p < partitions; p++)
    {
        WatermarkOffsets marks = transport.GetWatermarks(new TopicPartition(topic, p));
        n += marks.High - marks.Low;
    }

    return n;
}

static Dictionary<string, EnrichedOrder> ReadOutputs(IKappaTransport transport, string topic)
{
    var result = new Dictionary<string, EnrichedOrder>(StringComparer.Ordinal);
    TopicReader.ReadAll(transport, topic, (in ConsumedRecord r) =>
    {
        EnrichedOrder e = AvroSerializer.Deserialize<EnrichedOrder>(r.Value);
        result[e.OrderId] = e;
    });
    return result;
}
