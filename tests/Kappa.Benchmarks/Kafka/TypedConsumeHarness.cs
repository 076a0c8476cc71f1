using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Kappa.Avro;
using Kappa.Kafka.Testing;
using Kappa.Processing;
using Kappa.Transport;

namespace Kappa.Benchmarks.Kafka;

/// <summary>
/// A Stopwatch harness for the typed Kafka path, next to <see cref="TypedConsumeBenchmarks"/>: the same contenders on the
/// same topic, but interleaved (round r runs every contender once, starting with contender r mod 4, so none always runs
/// first or last and a change of the machine's load hits all of them), and with three clocks per record for the
/// consuming thread: wall time, its own CPU time (CLOCK_THREAD_CPUTIME_ID) and the time it was runnable but waiting for
/// a CPU (schedstat). Wall time minus the other two is time spent blocked (waiting for the fetcher). On a shared
/// machine the CPU time is the robust measure of what each consume loop itself costs.
/// In streaming mode a fifth contender, FetchOnly, measures the ceiling: how fast the broker and librdkafka fill a
/// consumer's queue with the topic when nothing consumes it. Options: <c>broker=external</c> hosts the mock cluster in a
/// kappa-test-broker process (its CPU is then reported apart); <c>name=value</c> with a dotted name is a librdkafka
/// setting given to every contender's consumer alike (e.g. <c>max.partition.fetch.bytes=8388608</c>).
/// Run: <c>dotnet run -c Release --project tests/Kappa.Benchmarks -- typed-harness [rounds [streaming|prefetched [option... ] [contender...]]]</c>.
/// </summary>
public static class TypedConsumeHarness
{
    private static readonly TimeSpan RecordTimeout = TimeSpan.FromSeconds(10);

    private delegate long Loop(int messages);

    public static void Run(string[] args)
    {
        HarnessOptions options = HarnessOptions.Parse(args);
        bool prefetched = options.Prefetched;
        int messages = TypedConsumeBenchmarks.Messages;
        Kappa.Kafka.NativeLibraryLoader.EnsureLoaded();
        string loadBefore = LoadAverage();
        using var topic = new KafkaBenchmarkTopic(
            messages, valueSize: 100, name: TypedConsumeBenchmarks.Topic, valueFactory: TypedConsumeBenchmarks.EncodeEvent, outOfProcess: options.ExternalBroker)
        {
            ExtraConsumerProperties = options.ConsumerProperties,
        };
        var producer = new NoOutputProducer();

        (string Name, Func<(Loop Loop, IDisposable Resource)> Create)[] contenders =
        [
            ("RawConfluentByteArray", () =>
            {
                RawConfluentConsumer raw = KafkaConsumeLoops.CreateRawConsumer(topic, prefetched);
                return (n => raw.ConsumeChecksum(n, RecordTimeout), raw);
            }),
            ("TransportSpans", () =>
            {
                IKappaConsumer consumer = KafkaConsumeLoops.CreateTransportConsumer(topic, prefetched);
                return (n => KafkaConsumeLoops.Transport(consumer, n), consumer);
            }),
            ("DecodeOnly", () =>
            {
                IKappaConsumer consumer = KafkaConsumeLoops.CreateTransportConsumer(topic, prefetched);
                return (n => DecodeOnly(consumer, n), consumer);
            }),
            ("TypedDispatch", () =>
            {
                IKappaConsumer consumer = KafkaConsumeLoops.CreateTransportConsumer(topic, prefetched);
                var processor = new BenchTypedProcessor();
                IProcessorDispatcher dispatcher = BenchTypedProcessor.CreateKappaDispatcher(processor);
                return (n => TypedDispatch(consumer, dispatcher, producer, processor, n), new Both(dispatcher, consumer));
            }),
        ];

        if (!prefetched)
        {
            // The ceiling: how fast the broker and librdkafka's fetcher fill a consumer's queue with the topic when
            // nothing consumes it (the consuming thread sleeps, polling the queue length every millisecond).
            contenders =
            [
                .. contenders,
                ("FetchOnly", () =>
                {
                    var consumer = (Kappa.Kafka.KafkaConsumer)KafkaConsumeLoops.CreateTransportConsumer(topic, prefetched: false);
                    return (n => KafkaConsumeLoops.WaitUntilQueued(() => consumer.FetchedAhead, n), consumer);
                }),
            ];
        }

        if (options.Contenders.Count > 0)
        {
            // Only the named contenders (to profile one of them).
            contenders = contenders.Where(c => options.Contenders.Contains(c.Name)).ToArray();
            if (contenders.Length == 0)
            {
                throw new ArgumentException($"No contender named {string.Join(", ", options.Contenders)}.");
            }
        }

        int rounds = options.Rounds;
        var wall = contenders.Select(_ => new List<double>()).ToArray();
        var cpu = contenders.Select(_ => new List<double>()).ToArray();
        var runnable = contenders.Select(_ => new List<double>()).ToArray();
        var processCpu = contenders.Select(_ => new List<double>()).ToArray();
        var brokerCpu = contenders.Select(_ => new List<double>()).ToArray();
        string schedstat = $"/proc/self/task/{GetTid()}/schedstat";

        // Two warm-up rounds (JIT tiers, connections) are not recorded.
        for (int round = -2; round < rounds; round++)
        {
            for (int k = 0; k < contenders.Length; k++)
            {
                int c = (k + Math.Max(round, 0)) % contenders.Length;
                (Loop loop, IDisposable resource) = contenders[c].Create();
                try
                {
                    long brokerStart = BrokerCpuNanoseconds(topic.BrokerProcessId);
                    long processStart = ProcessCpuNanoseconds();
                    long runnableStart = RunnableNanoseconds(schedstat);
                    long cpuStart = ThreadCpuNanoseconds();
                    long start = Stopwatch.GetTimestamp();
                    loop(messages);
                    double wallNs = Stopwatch.GetElapsedTime(start).TotalNanoseconds / messages;
                    double cpuNs = (ThreadCpuNanoseconds() - cpuStart) / (double)messages;
                    double runnableNs = (RunnableNanoseconds(schedstat) - runnableStart) / (double)messages;
                    double processNs = (ProcessCpuNanoseconds() - processStart) / (double)messages;
                    double brokerNs = (BrokerCpuNanoseconds(topic.BrokerProcessId) - brokerStart) / (double)messages;
                    if (round >= 0)
                    {
                        wall[c].Add(wallNs);
                        cpu[c].Add(cpuNs);
                        runnable[c].Add(runnableNs);
                        processCpu[c].Add(processNs);
                        brokerCpu[c].Add(brokerNs);
                    }
                }
                finally
                {
                    resource.Dispose();
                }
            }
        }

        string broker = options.ExternalBroker ? $"mock broker in process {topic.BrokerProcessId}" : "mock broker in this process";
        string settings = options.ConsumerProperties.Count == 0 ? "" : ", consumer settings " + string.Join(" ", options.ConsumerProperties.Select(p => $"{p.Key}={p.Value}"));
        Console.WriteLine($"{rounds} interleaved rounds of {messages} records, {options.Mode}, {broker}{settings}; load average {loadBefore} before, {LoadAverage()} after.");
        Console.WriteLine("Per record, medians over the rounds (min); process CPU is every thread of this process (librdkafka's fetcher,");
        Console.WriteLine("and the mock broker when in process), broker CPU the kappa-test-broker process's:");
        Console.WriteLine($"{"Contender",-22} {"wall",16} {"thread CPU",16} {"runnable, waiting",18} {"process CPU",12} {"broker CPU",11} {"msg/s vs first: wall",21} {"CPU",6} {"rounds' wall ratios to the first",34}");
        for (int c = 0; c < contenders.Length; c++)
        {
            List<double> ratios = Enumerable.Range(0, rounds).Select(r => wall[0][r] / wall[c][r]).ToList();
            Console.WriteLine(
                $"{contenders[c].Name,-22} {Median(wall[c]),7:F0} ({wall[c].Min(),5:F0}) ns {Median(cpu[c]),7:F0} ({cpu[c].Min(),5:F0}) ns {Median(runnable[c]),15:F0} ns"
                + $" {Median(processCpu[c]),9:F0} ns {(options.ExternalBroker ? $"{Median(brokerCpu[c]),8:F0} ns" : "          -")}"
                + $" {Median(wall[0]) / Median(wall[c]),20:F2}x {Median(cpu[0]) / Median(cpu[c]),5:F2}x"
                + $"   median {Median(ratios):F2}x ({ratios.Min():F2}x-{ratios.Max():F2}x, {ratios.Count(x => x >= 1.2)} of {rounds} >= 1.2x)");
        }

        Console.WriteLine("Messages per second over all rounds (every round's records over every round's wall time), vs the first:");
        for (int c = 0; c < contenders.Length; c++)
        {
            Console.WriteLine($"  {contenders[c].Name,-22} {1e9 / wall[c].Average(),12:N0} msg/s {wall[0].Sum() / wall[c].Sum(),6:F2}x");
        }

        int ceiling = Array.FindIndex(contenders, c => c.Name == "FetchOnly");
        if (ceiling >= 0)
        {
            Console.WriteLine("Fraction of the delivery ceiling (FetchOnly's wall time / the contender's, medians):");
            for (int c = 0; c < contenders.Length; c++)
            {
                Console.WriteLine($"  {contenders[c].Name,-22} {Median(wall[ceiling]) / Median(wall[c]):F2}");
            }
        }

        Console.WriteLine("Per round, ns per record as wall/thread CPU/runnable-waiting/process CPU/broker CPU:");
        for (int r = 0; r < rounds; r++)
        {
            int typed = Array.FindIndex(contenders, c => c.Name == "TypedDispatch");
            string ratio = contenders.Length > 1 ? $"  first/{contenders[typed >= 0 ? typed : contenders.Length - 1].Name} wall {wall[0][r] / wall[typed >= 0 ? typed : contenders.Length - 1][r]:F2}x" : "";
            Console.WriteLine(string.Join("  ", contenders.Select((x, c) => $"{x.Name}={wall[c][r]:F0}/{cpu[c][r]:F0}/{runnable[c][r]:F0}/{processCpu[c][r]:F0}/{brokerCpu[c][r]:F0}")) + ratio);
        }
    }

    private static long DecodeOnly(IKappaConsumer consumer, int messages)
    {
        long checksum = 0;
        for (int received = 0; received < messages; received++)
        {
            if (!consumer.TryConsume(RecordTimeout, out ConsumedRecord record))
            {
                throw new TimeoutException($"DecodeOnly: no record within {RecordTimeout} after {received} of {messages}.");
            }

            checksum += AvroSerializer.Deserialize<BenchEvent>(record.Value).AmountCents;
        }

        return checksum;
    }

    private static long TypedDispatch(IKappaConsumer consumer, IProcessorDispatcher dispatcher, IKappaProducer producer, BenchTypedProcessor processor, int messages)
    {
        for (int received = 0; received < messages; received++)
        {
            if (!consumer.TryConsume(RecordTimeout, out ConsumedRecord record))
            {
                throw new TimeoutException($"TypedDispatch: no record within {RecordTimeout} after {received} of {messages}.");
            }

            dispatcher.Dispatch(in record, producer);
        }

        return processor.Checksum;
    }

    private static string LoadAverage() => string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    /// <summary>CPU time of every thread of the broker process (from /proc/PID/task/*/schedstat); 0 when the broker runs in this process.</summary>
    private static long BrokerCpuNanoseconds(int? processId)
    {
        if (processId is null)
        {
            return 0;
        }

        long total = 0;
        foreach (string task in Directory.EnumerateDirectories($"/proc/{processId}/task"))
        {
            try
            {
                total += long.Parse(File.ReadAllText(Path.Combine(task, "schedstat")).Split(' ')[0], CultureInfo.InvariantCulture);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A thread that ended between listing and reading.
            }
        }

        return total;
    }

    private static unsafe long ProcessCpuNanoseconds()
    {
        Timespec t;
        if (ClockGetTime(ClockProcessCpuTimeId, &t) != 0)
        {
            throw new InvalidOperationException("clock_gettime(CLOCK_PROCESS_CPUTIME_ID) failed.");
        }

        return (t.Seconds * 1_000_000_000L) + t.Nanoseconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static unsafe long ThreadCpuNanoseconds()
    {
        Timespec t;
        if (ClockGetTime(ClockThreadCpuTimeId, &t) != 0)
        {
            throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed.");
        }

        return (t.Seconds * 1_000_000_000L) + t.Nanoseconds;
    }

    /// <summary>The second field of the thread's schedstat: nanoseconds it spent runnable but waiting for a CPU.</summary>
    private static long RunnableNanoseconds(string schedstat) =>
        long.Parse(File.ReadAllText(schedstat).Split(' ')[1], CultureInfo.InvariantCulture);

    private const int ClockProcessCpuTimeId = 2;

    private const int ClockThreadCpuTimeId = 3;

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern unsafe int ClockGetTime(int clock, Timespec* time);

    [DllImport("libc", EntryPoint = "gettid")]
    private static extern int GetTid();

    private sealed class Both(IDisposable first, IDisposable second) : IDisposable
    {
        public void Dispose()
        {
            first.Dispose();
            second.Dispose();
        }
    }
}
