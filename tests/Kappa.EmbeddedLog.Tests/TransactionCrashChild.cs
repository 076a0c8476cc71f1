using System.Globalization;
using System.Runtime.CompilerServices;
using Kappa.Log;
using Kappa.Transport;

namespace Kappa.Log.Tests;

/// <summary>
/// The child process of <see cref="TransactionCrashTests"/>: the test re-launches this test assembly
/// (<c>dotnet exec Kappa.EmbeddedLog.Tests.dll</c>) with <see cref="EnvironmentVariable"/> set to a log directory; this module
/// initializer then runs transactions in a loop until the parent kills it with SIGKILL, and never returns. Without the
/// variable (every normal test run) it does nothing.
/// </summary>
internal static class TransactionCrashChild
{
    public const string EnvironmentVariable = "KAPPA_LOG_TXN_CRASH_CHILD";
    public const string FsyncVariable = "KAPPA_LOG_TXN_CRASH_FSYNC";
    public const string InputTopic = "in";
    public const string Group = "crash-proc";
    public static readonly string[] OutputTopics = { "out-a", "out-b", "store-changelog" };

    /// <summary>Records of transaction <paramref name="t"/> (varies so some transactions span several batches per partition).</summary>
    public static int RecordsOf(long t) => 1 + (int)(t * 7919 % 2400);

    public static IReadOnlyCollection<TopicSpec> Topics => new[]
    {
        new TopicSpec(InputTopic, 1),
        new TopicSpec("out-a", 3),
        new TopicSpec("out-b", 2),
        new TopicSpec("store-changelog", 2, Compacted: true),
    };

#pragma warning disable CA2255 // A module initializer in a test assembly: the only way to give the re-launched assembly a child mode.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void RunIfChild()
    {
        string? directory = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrEmpty(directory))
        {
            return;
        }

        try
        {
            Run(directory);
        }
        catch (Exception e)
        {
            Console.Error.WriteLine(e);
            Environment.Exit(3);
        }

        Environment.Exit(0);
    }

    private static void Run(string directory)
    {
        // With EveryBatch most of the time goes to the fsyncs inside a commit, so kills land mid-commit often.
        FsyncPolicy policy = Enum.Parse<FsyncPolicy>(Environment.GetEnvironmentVariable(FsyncVariable) ?? nameof(FsyncPolicy.Never));
        using var transport = new EmbeddedLogTransport(new EmbeddedLogOptions { Directory = directory, FsyncPolicy = policy, MaintenanceInterval = null, SegmentBytes = 1024 * 1024 });
        transport.EnsureTopics(Topics);
        using IKappaConsumer input = transport.CreateConsumer(new ConsumerSettings { GroupId = Group });
        using ITransactionalProducer producer = transport.CreateTransactionalProducer(new ProducerSettings(), Group + ".0");
        producer.InitTransactions(TimeSpan.FromSeconds(30));
        long t = input.Committed(new TopicPartition(InputTopic, 0)) ?? 0;
        Console.Out.WriteLine("ready " + t.ToString(CultureInfo.InvariantCulture));
        Console.Out.Flush();
        for (long attempt = 0; ; attempt++)
        {
            bool abort = attempt % 5 == 2;
            int n = RecordsOf(t);
            producer.BeginTransaction();
            for (int i = 0; i < n; i++)
            {
                string topic = OutputTopics[i % OutputTopics.Length];
                string value = abort ? $"{t}:A" : $"{t}:{n}";
                producer.Produce(new OutgoingRecord(topic, System.Text.Encoding.UTF8.GetBytes($"{t}-{i}"), System.Text.Encoding.UTF8.GetBytes(value)));
            }

            producer.SendOffsetsToTransaction(new[] { new TopicPartitionOffset(InputTopic, 0, t + 1) }, input, TimeSpan.FromSeconds(30));
            if (abort)
            {
                producer.AbortTransaction(TimeSpan.FromSeconds(30));
                continue;
            }

            producer.CommitTransaction(TimeSpan.FromSeconds(30));
            Console.Out.WriteLine("committed " + t.ToString(CultureInfo.InvariantCulture));
            Console.Out.Flush();
            t++;
        }
    }
}
