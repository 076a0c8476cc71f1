using System.Diagnostics.Metrics;
using Kappa.Avro;
using Kappa.Processing;
using Kappa.Transport;

namespace Kappa.Runtime.Tests.Processing;

public class MetricsAndAllocationTests
{
    [Fact]
    public void The_runner_reports_records_outputs_dead_letters_batches_and_commit_time()
    {
        var measurements = new Dictionary<string, double>();
        // The meter is process-wide and other tests run "negate-units.v1" in parallel: count only what this
        // test's runner (which runs on this thread) reports.
        int thisThread = Environment.CurrentManagedThreadId;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == KappaMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            foreach (var tag in tags)
            {
                if (tag.Key == KappaMetrics.ProcessorTag && (string?)tag.Value == "negate-units.v1" && Environment.CurrentManagedThreadId == thisThread)
                {
                    lock (measurements)
                    {
                        measurements[instrument.Name] = measurements.GetValueOrDefault(instrument.Name) + (instrument.Name.EndsWith("duration", StringComparison.Ordinal) ? 1 : value);
                    }
                }
            }
        }

        listener.SetMeasurementEventCallback<long>((i, v, t, _) => Record(i, v, t));
        listener.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
        listener.Start();

        var transport = new InMemoryTransport();
        transport.CreateTopic("units", 1);
        for (int i = 0; i < 5; i++)
        {
            transport.Append("units", 0, null, AvroSerializer.SerializeToArray(new OrderUnit { Sequence = i, Sign = 1 }), i);
        }

        transport.Append("units", 0, null, [0x80], 9); // truncated varint: dead-lettered
        var options = ProcessorTestKit.FastOptions();
        options.MaxBatchSize = 2;
        ProcessorRunner.Create(new NegateUnits(), transport, options).RunUntilIdle(transport);

        Assert.Equal(6, measurements["kappa.processor.records"]);
        Assert.Equal(5, measurements["kappa.processor.outputs"]);
        Assert.Equal(1, measurements["kappa.processor.dead_letters"]);
        Assert.Equal(3, measurements["kappa.processor.batches"]);
        Assert.Equal(3, measurements["kappa.processor.commit.duration"]);
    }

    [Fact]
    public void Dispatching_struct_records_allocates_nothing_per_record()
    {
        using IProcessorDispatcher dispatcher = NegateUnits.CreateKappaDispatcher(new NegateUnits());
        var producer = new CountingProducer();
        byte[] value = AvroSerializer.SerializeToArray(new OrderUnit { Sequence = 1, Sign = 7 });
        byte[] key = [1, 2, 3];

        int Dispatch(int times)
        {
            int outputs = 0;
            for (int i = 0; i < times; i++)
            {
                var record = new ConsumedRecord("units", 0, i, 1_000 + i, key, false, value, false, RecordHeaders.Empty);
                outputs += dispatcher.Dispatch(in record, producer);
            }

            return outputs;
        }

        Dispatch(1_000); // warm up: JIT, pooled buffer growth

        int produced = 0;
        AllocationMeasure.AssertNothingPerOperation(10_000, () => produced = Dispatch(10_000), "Dispatching struct records");
        Assert.Equal(10_000, produced);
        Assert.Equal(0, (producer.Count - 1_000) % 10_000);
        Assert.Equal(-7, producer.LastSign);
        Assert.Equal("negated-units.v1", producer.LastTopic);
        Assert.Equal(1_000 + 9_999, producer.LastTimestamp);
    }

    private sealed class CountingProducer : IKappaProducer
    {
        public int Count { get; private set; }

        public long LastSign { get; private set; }

        public string? LastTopic { get; private set; }

        public long LastTimestamp { get; private set; }

        public void Produce(in OutgoingRecord record)
        {
            Count++;
            LastTopic = record.Topic;
            LastTimestamp = record.TimestampMs;
            LastSign = AvroSerializer.Deserialize<OrderUnit>(record.Value).Sign;
        }

        public void Flush(CancellationToken cancellationToken = default)
        {
        }

        public void Dispose()
        {
        }
    }
}
