namespace Kappa.Log.Transactions;

/// <summary>The current producer id and epoch of one transactional id; producers compare their epoch with it to detect fencing.</summary>
internal sealed class TransactionalIdState
{
    private int _epoch;

    public TransactionalIdState(string id, long producerId, short epoch)
    {
        Id = id;
        ProducerId = producerId;
        _epoch = epoch;
    }

    public string Id { get; }

    public long ProducerId { get; set; }

    public short Epoch
    {
        get => (short)Volatile.Read(ref _epoch);
        set => Volatile.Write(ref _epoch, value);
    }
}
