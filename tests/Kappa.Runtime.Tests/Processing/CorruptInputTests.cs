using System.Buffers.Binary;
using System.Globalization;
using Kappa.Log;
using Kappa.Naming;
using Kappa.Processing;
using Kappa.Transport;

namespace Kappa.Runtime.Tests.Processing;

/// <summary>A processor that reaches a corrupt batch of the embedded log: where it stops, what it keeps, and the way out.</summary>
public class CorruptInputTests
{
    private const int Units = 400;

    [Fact]
    public void A_processor_stops_at_a_corrupt_batch_naming_it_keeps_the_records_before_it_and_goes_on_once_moved_past_it()
    {
        string dir = Path.Combine(Path.GetTempPath(), "kappa-corrupt-input", Guid.NewGuid().ToString("N"));
        try
        {
            using (EmbeddedLogTransport transport = Open(dir))
            {
                transport.EnsureTopics([new TopicSpec("units", 1)]);
                using IKappaProducer producer = transport.CreateProducer(new ProducerSettings());
                for (int i = 0; i < Units; i++)
                {
                    producer.Produce(new OutgoingRecord("units", ProcessorTestKit.Key("k" + i), StatefulTestKit.Unit(i + 1)) { Partition = 0, TimestampMs = 1_000 + i });
                    if (i % 5 == 4)
                    {
                        producer.Flush();
                    }
                }

                producer.Flush();
            }

            string[] segments = Directory.GetFiles(Path.Combine(dir, "units-0"), "*.log").Order(StringComparer.Ordinal).ToArray();
            Assert.True(segments.Length >= 5, $"expected several segments, got {segments.Length}");
            long corruptAt = BaseOf(segments[2]);
            long nextReadable = BaseOf(segments[3]);
            byte[] bytes = File.ReadAllBytes(segments[2]);
            int firstBatch = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(8)) + 12;
            bytes[firstBatch - 10] ^= 0x10;
            File.WriteAllBytes(segments[2], bytes);

            using (EmbeddedLogTransport transport = Open(dir))
            {
                // Twice: the second start neither re-emits the records before the bad batch nor moves past it.
                for (int start = 0; start < 2; start++)
                {
                    ProcessorFaultedException fault = RunUntilFault(transport);
                    Assert.Equal("units", fault.Topic);
                    Assert.Equal(0, fault.Partition);
                    Assert.Equal(corruptAt, fault.Offset);
                    Assert.IsType<LogCorruptException>(fault.InnerException);
                    Assert.Contains("units-0@" + corruptAt.ToString(CultureInfo.InvariantCulture), fault.Message, StringComparison.Ordinal);
                    Assert.Equal(corruptAt, CountOutputs(transport));
                }

                // The operator's way out: move the group past the damaged range (docs/embedded-log.md, 'Corrupt data').
                using (IKappaConsumer admin = transport.CreateConsumer(new ConsumerSettings { GroupId = KappaNames.ConsumerGroup("negate-units", 1) }))
                {
                    admin.Commit([new TopicPartitionOffset("units", 0, nextReadable)]);
                }

                var runner = ProcessorRunner.Create(new NegateUnits(), transport, ProcessorTestKit.FastOptions());
                using var stop = new CancellationTokenSource();
                Exception? failure = null;
                var worker = new Thread(() =>
                {
                    try
                    {
                        runner.Run(stop.Token);
                    }
                    catch (Exception error)
                    {
                        failure = error;
                    }
                });
                worker.Start();
                ProcessorTestKit.WaitUntil(() => runner.RecordsProcessed >= Units - nextReadable || failure is not null, "the records after the damaged segment are processed");
                stop.Cancel();
                Assert.True(worker.Join(TimeSpan.FromSeconds(30)), "the runner did not stop");
                Assert.Null(failure);
                Assert.Equal(corruptAt + (Units - nextReadable), CountOutputs(transport));
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static EmbeddedLogTransport Open(string dir) => new(new EmbeddedLogOptions
    {
        Directory = dir,
        FsyncPolicy = FsyncPolicy.Never,
        MaintenanceInterval = null,
        SegmentBytes = 2048,
    });

    private static long BaseOf(string segment) => long.Parse(Path.GetFileNameWithoutExtension(segment), CultureInfo.InvariantCulture);

    private static ProcessorFaultedException RunUntilFault(IKappaTransport transport)
    {
        var runner = ProcessorRunner.Create(new NegateUnits(), transport, ProcessorTestKit.FastOptions());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return Assert.Throws<ProcessorFaultedException>(() => runner.Run(timeout.Token));
    }

    private static long CountOutputs(IKappaTransport transport)
    {
        using IKappaConsumer consumer = transport.CreateConsumer(new ConsumerSettings { GroupId = "output-reader" });
        consumer.Assign([new TopicPartitionOffset(KappaNames.OutputTopic("negated-units", 1), 0, 0)]);
        long count = 0;
        while (consumer.TryConsume(TimeSpan.FromMilliseconds(200), out ConsumedRecord _))
        {
            count++;
        }

        return count;
    }
}
