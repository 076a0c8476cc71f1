namespace Kappa.Runtime.Tests.Avro.History;

/// <summary>Seeded random values of V1.HistoryKinds (the recorded version 1 of HistoryKinds), edge values favoured.</summary>
internal sealed class KindsValues(int seed)
{
    private static readonly DateTime From = new(1900, 1, 1);
    private static readonly DateTime To = new(2100, 1, 1);

    private readonly Random _random = new(seed);

    private string Text() => _random.Next(4) == 0 ? string.Empty : new string(Enumerable.Range(0, _random.Next(1, 10)).Select(_ => (char)_random.Next('a', 'z' + 1)).ToArray()) + (_random.Next(5) == 0 ? "é€" : string.Empty);

    private byte[] Bytes(int size)
    {
        var bytes = new byte[size];
        _random.NextBytes(bytes);
        return bytes;
    }

    private int Int() => _random.Next(5) switch { 0 => int.MinValue, 1 => int.MaxValue, 2 => 0, _ => _random.Next(-1000, 1000) };

    private uint UInt() => _random.Next(4) switch { 0 => uint.MaxValue, 1 => 0, _ => (uint)_random.Next() };

    private float Float() => _random.Next(6) switch { 0 => float.NaN, 1 => float.NegativeInfinity, _ => (float)(_random.NextDouble() * 1000 - 500) };

    private Guid Guid() => new(Bytes(16));

    private AvroDuration Duration() => new(UInt(), UInt(), UInt());

    private TimeOnly Time() => _random.Next(4) switch { 0 => TimeOnly.MinValue, 1 => TimeOnly.MaxValue, _ => new TimeOnly(_random.NextInt64(TimeOnly.MaxValue.Ticks)) };

    private DateTime Local() => new(_random.NextInt64(From.Ticks, To.Ticks), (DateTimeKind)_random.Next(3));

    private List<T> Many<T>(Func<T> item, int max = 3) => Enumerable.Range(0, _random.Next(max + 1)).Select(_ => item()).ToList();

    private V1.KindsPayment Payment() => _random.Next(3) switch
    {
        0 => new V1.KindsCard(Text()),
        1 => new V1.Voucher(Text()),
        _ => new V1.KindsCash(_random.NextInt64(long.MinValue, long.MaxValue)),
    };

    public V1.HistoryKinds KindsV1() => new(
        Bytes(8),
        Guid(),
        Duration(),
        Time(),
        Time(),
        Local(),
        Local(),
        Payment(),
        new V1.KindsCash(_random.NextInt64()),
        Many(() => new V1.Voucher(Text())),
        Int(),
        _random.Next(3) switch { 0 => null, 1 => (AvroUnion<int, V1.KindsCard>?)Int(), _ => new V1.KindsCard(Text()) },
        Text(),
        Bytes(4),
        Many(() => (Text() + _random.Next(), Float())).ToDictionary(p => p.Item1, p => p.Item2),
        Bytes(3),
        Duration(),
        Guid(),
        _random.Next(2) == 0 ? null : Payment(),
        _random.Next(2) == 0 ? Text() : new V1.Voucher(Text()));
}
