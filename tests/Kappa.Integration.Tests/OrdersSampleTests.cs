namespace Kappa.Integration.Tests;

/// <summary>Runs the README's main command (the orders sample) and checks the story it tells.</summary>
public class OrdersSampleTests
{
    [Fact]
    public void Orders_sample_runs_the_whole_lifecycle_deploy_replay_verify_promote_retire_with_serving_tables()
    {
        string configuration = typeof(OrdersSampleTests).Assembly.Location.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        string dll = Path.Combine(RepoPaths.Root, "samples", "Kappa.Samples.Orders", "bin", configuration, "net10.0", "Kappa.Samples.Orders.dll");
        Assert.True(File.Exists(dll), $"The sample is not built at {dll}; build Gen.sln first.");
        string data = Path.Combine(Path.GetTempPath(), "kappa-sample-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            var run = ProcessRunner.Run("dotnet", [dll, "--orders", "3000", "--data", data], RepoPaths.Root, TimeSpan.FromMinutes(5));
            Assert.True(run.ExitCode == 0, "The sample failed:\n" + run.Output);
            Assert.Contains("wrote 3,001 records to 'orders'", run.Output);
            Assert.Contains("-> 3,000 records in enriched-orders.v1, 1 in enrich-orders.v1.dlq", run.Output);
            Assert.Contains("1 in enrich-orders.v2.dlq", run.Output);
            Assert.Contains("Cannot decode Avro Order", run.Output);
            Assert.Contains("identical, deterministic", run.Output);
            Assert.Matches(@"v1 vs v2 by key \(.*\): [\d,]+ equal, [1-9][\d,]* changed", run.Output);

            // The lifecycle: v2 refused before it replayed and was verified, verified deterministic, promoted, v1 retired.
            Assert.Contains("3. v2 deployed: Replaying, 0 of 3,001 records (0%)", run.Output);
            Assert.Contains("Promote of enrich-orders.v2 refused: it is not caught up", run.Output);
            Assert.Contains("status: CaughtUp, 3,001 of 3,001 records (100%), lag 0", run.Output);
            Assert.Contains("4. verify v2: deterministic over 3,001 records", run.Output);
            Assert.Contains("5. promoted v2 (v1 on standby)", run.Output);
            Assert.Contains("6. retire v1 would delete group enrich-orders.v1; topics enriched-orders.v1", run.Output);
            Assert.Contains("v1 retired: its topics and table are gone", run.Output);

            // Each version in its own SQLite table; the view serves v1, then v2 (with exactly v2's output records).
            Assert.Matches(@"-> table enriched_orders_v1 in sqlite at \S+serving\.db: 3,000 rows \(.*\); view enriched_orders serves v1", run.Output);
            string v2Records = System.Text.RegularExpressions.Regex.Match(run.Output, @"-> ([\d,]+) records in enriched-orders\.v2").Groups[1].Value;
            Assert.NotEqual(string.Empty, v2Records);
            Assert.Matches(@"-> table enriched_orders_v2: " + v2Records + @" rows .*; view enriched_orders still serves v1: 3,000 rows", run.Output);
            Assert.Matches(@"view enriched_orders now serves v2: " + v2Records + " rows", run.Output);
            Assert.Matches(@"v1 retired: .*; view enriched_orders serves v2: " + v2Records + " rows", run.Output);
            Assert.True(File.Exists(Path.Combine(data, "serving.db")), "The serving database is not next to the log.");
        }
        finally
        {
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }
    }
}
