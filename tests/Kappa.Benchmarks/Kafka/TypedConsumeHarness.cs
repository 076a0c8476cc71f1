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
/// Run: <c>dotnet run -c Release --project tests/Kappa.Benchmarks -- typed-harness [rounds [streaming|prefetched [contender...]]]</c>.
/// </summary>
public static class TypedConsumeHarness
{
    private static readonly TimeSpan RecordTimeout = TimeSpan.FromSeconds(10);

    private delegate long Loop(int messages);

    public static void Run(string[] args)
    {
        int rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;
        string mode = args.Length > 2 ? args[2] : "streaming";
        if (mode is not ("streaming" or "prefetched"))
        {
            throw new ArgumentException($"Unknown mode '{mode}': use streaming (the fetcher runs during the measurement) or prefetched (the topic is fetched first).");
        }

        bool prefetched = mode == "prefetched";
        int messages = TypedConsumeBenchmarks.Messages;
        Kappa.Kafka.NativeLibraryLoader.EnsureLoaded();
        using var topic = new KafkaBenchmarkTopic(messages, valueSize: 100, name: TypedConsumeBenchmarks.Topic, valueFactory: TypedConsumeBenchmarks.EncodeEvent);
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

        if (args.Length > 3)
        {
            // Only the named contenders (to profile one of them).
            contenders = contenders.Where(c => args.Skip(3).Contains(c.Name)).ToArray();
            if (contenders.Length == 0)
            {
                throw new ArgumentException($"No contender named {string.Join(", ", args.Skip(3))}.");
            }
        }

        var wall = contenders.Select(_ => new List<double>()).ToArray();
        var cpu = contenders.Select(_ => new List<double>()).ToArray();
        var runnable = contenders.Select(_ => new List<double>()).ToArray();
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
                    long runnableStart = RunnableNanoseconds(schedstat);
                    long cpuStart = ThreadCpuNanoseconds();
                    long start = Stopwatch.GetTimestamp();
                    loop(messages);
                    double wallNs = Stopwatch.GetElapsedTime(start).TotalNanoseconds / messages;
                    double cpuNs = (ThreadCpuNanoseconds() - cpuStart) / (double)messages;
                    double runnableNs = (RunnableNanoseconds(schedstat) - runnableStart) / (double)messages;
                    if (round >= 0)
                    {
                        wall[c].Add(wallNs);
                        cpu[c].Add(cpuNs);
                        runnable[c].Add(runnableNs);
                    }
                }
                finally
                {
                    resource.Dispose();
                }
            }
        }

        Console.WriteLine($"{rounds} interleaved rounds of {messages} records, {mode}; per record, medians over the rounds (min):");
        Console.WriteLine($"{"Contender",-22} {"wall",16} {"thread CPU",16} {"runnable, waiting",18} {"msg/s vs first: wall",21} {"CPU",6}");
        for (int c = 0; c < contenders.Length; c++)
        {
            Console.WriteLine(
                $"{contenders[c].Name,-22} {Median(wall[c]),7:F0} ({wall[c].Min(),5:F0}) ns {Median(cpu[c]),7:F0} ({cpu[c].Min(),5:F0}) ns {Median(runnable[c]),15:F0} ns"
                + $" {Median(wall[0]) / Median(wall[c]),20:F2}x {Median(cpu[0]) / Median(cpu[c]),5:F2}x");
        }

        Console.WriteLine("Per round, ns per record as wall/thread CPU/runnable-waiting:");
        for (int r = 0; r < rounds; r++)
        {
            string ratio = contenders.Length > 1 ? $"  first/last wall {wall[0][r] / wall[^1][r]:F2}x" : "";
            Console.WriteLine(string.Join("  ", contenders.Select((x, c) => $"{x.Name}={wall[c][r]:F0}/{cpu[c][r]:F0}/{runnable[c][r]:F0}")) + ratio);
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
