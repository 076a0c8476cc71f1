using System.Globalization;
using Kappa.Processing;
using Kappa.Transport;

namespace Kappa.CrashHost;

/// <summary>
/// Runs <see cref="CrashTotals"/> (the generated stateful processor, through <see cref="RenamedDispatcher"/>) with the
/// framework's <see cref="ProcessorRunner"/>: exactly-once by default, at-least-once on request. With --until-caught-up a
/// monitor stops the runner once the group's committed offsets reach the end of every input partition.
/// </summary>
public static class FrameworkHost
{
    /// <summary>How long without a committed batch before the caught-up monitor prints a "status" line.</summary>
    private static readonly TimeSpan StallReportInterval = TimeSpan.FromSeconds(10);

    public static void Run(IKappaTransport transport, HostArguments args, TextWriter output, CancellationToken stop)
    {
        var dispatcher = new RenamedDispatcher(args.Prefix);
        var names = RenamedDispatcher.Names(args.Prefix);
        int partitions = transport.GetPartitionCount(names.Input)
            ?? throw new InvalidOperationException($"Input topic '{names.Input}' does not exist on {transport.Description}.");
        var options = new ProcessorOptions
        {
            Guarantee = args.ExactlyOnce ? ProcessingGuarantee.ExactlyOnce : ProcessingGuarantee.AtLeastOnce,
            MaxBatchSize = args.BatchSize,
            InstanceId = args.InstanceId,
            ClientId = args.InstanceId,
        };
        if (args.KafkaBootstrap is not null)
        {
            options.ConsumerProperties = new Dictionary<string, string>
            {
                // A killed instance's partitions move after the session timeout; a rebalance waits for every member
                // up to max.poll.interval.ms. Short for tests.
                ["session.timeout.ms"] = "6000",
                ["heartbeat.interval.ms"] = "1000",
                ["max.poll.interval.ms"] = "10000",
            };
            // A killed instance's open transaction blocks read_committed readers until it times out (real clusters).
            options.ProducerProperties = new Dictionary<string, string> { ["transaction.timeout.ms"] = "10000" };
        }

        var logger = new ProgressLogger(output);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(stop);
        cancel.CancelAfter(args.MaxRunTime);
        bool caughtUp = false;
        using var monitorStop = new ManualResetEventSlim();
        Thread? monitor = null;
        if (args.UntilCaughtUp)
        {
            monitor = new Thread(() =>
            {
                using var offsets = transport.CreateConsumer(new ConsumerSettings { GroupId = names.Group, ClientId = args.InstanceId + ".monitor" });
                var stall = new StallReporter(output, logger, StallReportInterval);
                while (!monitorStop.Wait(300))
                {
                    try
                    {
                        var positions = new List<(int Partition, long? Committed, long End)>(partitions);
                        for (int p = 0; p < partitions; p++)
                        {
                            var tp = new TopicPartition(names.Input, p);
                            positions.Add((p, offsets.Committed(tp), transport.GetWatermarks(tp).High));
                        }

                        if (positions.All(x => x.Committed is long c && c >= x.End))
                        {
                            caughtUp = true;
                            cancel.Cancel();
                            return;
                        }

                        stall.Observe(positions);
                    }
                    catch (KappaTransportException e)
                    {
                        // A broker outage: ask again later.
                        output.WriteLine("monitor-retry " + e.Message.ReplaceLineEndings(" "));
                    }
                }
            }) { IsBackground = true, Name = "caught-up monitor" };
            monitor.Start();
        }

        try
        {
            var runner = new ProcessorRunner(dispatcher, transport, options, logger);
            runner.Run(cancel.Token);
        }
        finally
        {
            monitorStop.Set();
            if (monitor is not null && !monitor.Join(TimeSpan.FromSeconds(30)))
            {
                output.WriteLine("warning the caught-up monitor did not stop within 30 s");
            }
        }

        if (args.UntilCaughtUp && !caughtUp && !stop.IsCancellationRequested)
        {
            throw new TimeoutException($"Not caught up after {args.MaxRunTime} ({logger.CommittedRecords.ToString(CultureInfo.InvariantCulture)} records committed).");
        }

        output.WriteLine(caughtUp ? $"caught-up records={logger.CommittedRecords}" : $"stopped records={logger.CommittedRecords}");
    }
}
