using System.Text;
using Kappa.Avro;
using Kappa.Processing;
using Kappa.State;
using Kappa.Transport;

namespace Kappa.Runtime.Tests.Processing;

public class StatefulAllocationTests
{
    [Fact]
    public void The_stateful_path_with_struct_state_allocates_nothing_per_record()
    {
        using IProcessorDispatcher dispatcher = TotalUnits.CreateKappaDispatcher(new TotalUnits());
        var stores = new StateStoreSet(TotalUnits.KappaDescriptor.Stores);
        var store = new KeyValueStore<UnitTotals>();
        stores.Attach(0, [store]);
        dispatcher.AttachState(stores);
        var producer = new CountingProducer();
        byte[] value = AvroSerializer.SerializeToArray(new OrderUnit { Sequence = 0, Sign = 2 });
        byte[][] keys = Enumerable.Range(0, 16).Select(i => Encoding.UTF8.GetBytes("key-" + i)).ToArray();
        StateChangeHandler changelog = (key, state, tombstone) => producer.Produce(new OutgoingRecord("changelog", key, state) { Partition = 0, ValueIsNull = tombstone });

        int Run(int times)
        {
            int outputs = 0;
            for (int i = 0; i < times; i++)
            {
                var record = new ConsumedRecord("units", 0, i, 1_000 + i, keys[i % keys.Length], false, value, false, RecordHeaders.Empty);
                outputs += dispatcher.Dispatch(in record, producer);
                if (i % 500 == 499)
                {
                    // The batch commit: changelog records for the dirty keys, then clean.
                    store.WriteChanges(changelog);
                    store.MarkClean(-1);
                }
            }

            return outputs;
        }

        Run(2_000); // warm up: JIT, key arrays of the 16 keys, pooled buffers, dirty list capacity

        int produced = 0;
        int runs = AllocationMeasure.AssertNothingPerOperation(20_000, () => produced = Run(20_000), "The stateful path (struct state)");
        Assert.Equal(20_000, produced);
        int total = 2_000 + (runs * 20_000);
        Assert.True(store.TryGetValue(keys[3], out UnitTotals totals));
        Assert.Equal(total / 16, totals.Count);
        Assert.Equal(2 * totals.Count, totals.Sum);
        Assert.Equal(total + ((2_000 / 500) + (runs * (20_000 / 500))) * 16, producer.Count);
    }

    private sealed class CountingProducer : IKappaProducer
    {
        public int Count { get; private set; }

        public void Produce(in OutgoingRecord record) => Count++;

        public void Flush(CancellationToken cancellationToken = default)
        {
        }

        public void Dispose()
        {
        }
    }
}
