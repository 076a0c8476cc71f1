// The whole Kappa story on the embedded log, no Kafka needed, as the lifecycle runs it:
//   1. an order log is written (with one corrupt record in it);
//   2. enrich-orders v1 is deployed, replays it from offset 0 into enriched-orders.v1, is materialized into its SQLite
//      table enriched_orders_v1 next to the log, verified and promoted: the view enriched_orders serves it;
//   3. the logic changes: v2 is deployed (promote is refused: not caught up, not verified), replays the same log into
//      its own topic and table while v1 keeps serving (progress from the lifecycle's status);
//   4. v2 is verified: run twice for determinism, and diffed by key against v1 (the check before promotion); the
//      replay is also repeated over a second copy of the log (identical output checksums);
//   5. v2 is promoted: the view switches to its table in one transaction; v1 stays on standby for a rollback;
//   6. v1 is retired: its group, topics and table are deleted, and nothing of v2.
// Usage: dotnet run -c Release --project samples/Kappa.Samples.Orders [-- --orders N] [--data DIR]
using System.Diagnostics;
using Kappa.Avro;
using Kappa.Lifecycle;
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

// 2. Version 1: deployed, replayed from offset 0 into its topic and table, verified, promoted; the view serves it.
var serving = new ServingTables(transport, Path.Combine(dataRoot, "serving.db"));
var lifecycle = new KappaLifecycle(transport, serving.Database);
lifecycle.Deploy(EnrichOrdersV1.KappaDescriptor);
var v1 = ProcessorRunner.Create(new EnrichOrdersV1(), transport);
Replay(v1, "2. v1");
SinkTarget table1 = serving.Materialize(1);
lifecycle.ObserveCaughtUp();
lifecycle.Verify(() => new EnrichOrdersV1());
lifecycle.Promote(EnrichOrdersV1.KappaDescriptor.Name, 1);
Console.WriteLine($"   -> table {table1.Table} in {serving.Database.Description}: {serving.Describe(table1.Table)}; view {table1.View} serves v{serving.Database.GetServingVersion(ServingTables.Sink)}");

// 3. Version 2: new logic, deployed next to v1; it cannot be promoted yet; it replays the same log into its own topic
//    and table while v1 serves.
string processor = EnrichOrdersV2.KappaDescriptor.Name;
lifecycle.Deploy(EnrichOrdersV2.KappaDescriptor);
LifecycleStatus before = lifecycle.Status();
Console.WriteLine($"3. v2 deployed: {Progress(before, 2)}");
try
{
    lifecycle.Promote(processor, 2);
    Console.Error.WriteLine("   promote of v2 was accepted before it replayed anything");
    return 1;
}
catch (LifecycleRefusedException refused)
{
    Console.WriteLine($"   {refused.Message}");
}

var v2 = ProcessorRunner.Create(new EnrichOrdersV2(), transport);
Replay(v2, "   v2");
SinkTarget table2 = serving.Materialize(2);
lifecycle.ObserveCaughtUp();
Console.WriteLine($"   status: {Progress(lifecycle.Status(before), 2)}");
Console.WriteLine($"   -> table {table2.Table}: {serving.Describe(table2.Table)}; view {table2.View} still serves v{serving.Database.GetServingVersion(ServingTables.Sink)}: {serving.Describe(table2.View)}");

// 4a. Verify v2: deterministic (run twice), and its outputs compared by key with the serving v1.
VerificationResult verified = lifecycle.Verify(() => new EnrichOrdersV2());
OutputDiff diff = verified.Diffs.Single();
Console.WriteLine($"4. verify v2: {(verified.Deterministic ? "deterministic" : "NOT deterministic: " + verified.FirstDifference)} over {verified.Records:N0} records");
Console.WriteLine($"   v1 vs v2 by key (the record key, a customer: its latest output, as compaction keeps it): {diff.Equal:N0} equal, {diff.Changed:N0} changed (e.g. {string.Join(", ", diff.ChangedSamples.Take(2))}), {diff.OnlyInOld:N0} only in v1, {diff.OnlyInNew:N0} only in v2");

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

// 5. Promote v2: the view switches to v2's table in one transaction (readers see all-v1 or all-v2 rows, never a mix).
PromoteResult promoted = lifecycle.Promote(processor, 2);
Console.WriteLine($"5. promoted v{promoted.Serving} (v{promoted.Standby} on standby): view {table2.View} now serves v{serving.Database.GetServingVersion(ServingTables.Sink)}: {serving.Describe(table2.View)}");

// 6. Retire v1: what it would delete, then delete it; v2 keeps serving.
RetirePlan plan = lifecycle.Retire(processor, 1, dryRun: true);
Console.WriteLine($"6. retire v1 would delete group {string.Join(", ", plan.ConsumerGroups)}; topics {string.Join(", ", plan.Topics)}; tables {string.Join(", ", plan.Tables)}");
lifecycle.Retire(processor, 1);
bool gone = !transport.ListTopics().Contains(v1.Descriptor.OutputTopics[0]) && transport.ListTopics().Contains(v2.Descriptor.OutputTopics[0]);
Console.WriteLine($"   v1 retired: {(gone ? "its topics and table are gone" : "SOMETHING WAS LEFT")}; view {table2.View} serves v{serving.Database.GetServingVersion(ServingTables.Sink)}: {serving.Describe(table2.View)}");
return gone ? 0 : 1;

static string Progress(LifecycleStatus status, int version)
{
    VersionProgress p = status.Processors.Single().Versions.Single(v => v.Version == version);
    return $"{p.State}, {p.Done:N0} of {p.Total:N0} records ({(p.Total == 0 ? 100 : 100.0 * p.Done / p.Total):F0}%), lag {p.Lag:N0}{(p.RecordsPerSecond is { } rate ? $", {rate:N0} records/s" : string.Empty)}";
}

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
