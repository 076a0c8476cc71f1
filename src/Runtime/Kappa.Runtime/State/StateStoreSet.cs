using System.Runtime.CompilerServices;

namespace Kappa.State;

/// <summary>
/// The stores of one running processor: for every store of its descriptor, one <see cref="KeyValueStore{TState}"/> per
/// owned partition. Generated dispatchers look the record's store up with <see cref="Get{TState}"/>; the runner adds a
/// partition's stores when it is assigned (after restore) and removes them when it is revoked. One thread.
/// </summary>
public sealed class StateStoreSet
{
    private readonly IReadOnlyList<StateStoreDescriptor> _stores;
    private IStateStore?[][] _byStore;

    public StateStoreSet(IReadOnlyList<StateStoreDescriptor> stores)
    {
        ArgumentNullException.ThrowIfNull(stores);
        _stores = stores;
        _byStore = new IStateStore?[stores.Count][];
        for (int i = 0; i < _byStore.Length; i++)
        {
            _byStore[i] = [];
        }
    }

    public IReadOnlyList<StateStoreDescriptor> Descriptors => _stores;

    /// <summary>The store <paramref name="store"/> (index in the descriptor's list) of <paramref name="partition"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public KeyValueStore<TState> Get<TState>(int store, int partition)
        where TState : IProcessorState<TState>
    {
        IStateStore?[] partitions = _byStore[store];
        if ((uint)partition < (uint)partitions.Length && partitions[partition] is KeyValueStore<TState> found)
        {
            return found;
        }

        throw NotAvailable(store, partition);
    }

    /// <summary>The store of a partition, or null when the partition has none here.</summary>
    public IStateStore? Find(int store, int partition)
    {
        IStateStore?[] partitions = _byStore[store];
        return (uint)partition < (uint)partitions.Length ? partitions[partition] : null;
    }

    /// <summary>Makes a partition's restored stores available (one per descriptor, in order).</summary>
    public void Attach(int partition, IReadOnlyList<IStateStore> stores)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        if (stores.Count != _stores.Count)
        {
            throw new ArgumentException($"Expected {_stores.Count} stores for partition {partition}, got {stores.Count}.", nameof(stores));
        }

        for (int i = 0; i < _byStore.Length; i++)
        {
            if (partition >= _byStore[i].Length)
            {
                Array.Resize(ref _byStore[i], partition + 1);
            }

            _byStore[i][partition] = stores[i];
        }
    }

    /// <summary>Removes a partition's stores (revoked).</summary>
    public void Detach(int partition)
    {
        for (int i = 0; i < _byStore.Length; i++)
        {
            if (partition < _byStore[i].Length)
            {
                _byStore[i][partition] = null;
            }
        }
    }

    private InvalidOperationException NotAvailable(int store, int partition) =>
        store < _stores.Count
            ? new InvalidOperationException($"State store '{_stores[store].Name}' has no state for partition {partition} here: the partition is not assigned to this instance or is still being restored.")
            : new InvalidOperationException($"There is no state store number {store}; this processor has {_stores.Count}.");
}
