namespace Kappa.Runtime.Tests.Avro.History;

/// <summary>Seeded random values of the recorded (old) shapes, as old code wrote them.</summary>
internal sealed class HistoryValues(int seed)
{
    private readonly Random _random = new(seed);

    private string Text() => _random.Next(4) == 0 ? string.Empty : new string(Enumerable.Range(0, _random.Next(1, 12)).Select(_ => (char)_random.Next('a', 'z' + 1)).ToArray()) + (_random.Next(5) == 0 ? "é€" : string.Empty);

    private int Int() => _random.Next(6) switch { 0 => int.MinValue, 1 => int.MaxValue, 2 => 0, _ => _random.Next(-100_000, 100_000) };

    private float Float() => _random.Next(5) == 0 ? float.NaN : (float)(_random.NextDouble() * 1000 - 500);

    private List<T> Many<T>(Func<T> item, int max = 4) => Enumerable.Range(0, _random.Next(max + 1)).Select(_ => item()).ToList();

    public V1.HistoryLine LineV1() => new(Text(), Int(), Float(), Text());

    public HistoryLine Line() => new(Text(), _random.NextInt64(), _random.NextDouble(), _random.Next(2) == 0 ? null : Text());

    public V1.Gone Gone(int depth = 0) => new(
        Text(),
        Many(Int),
        depth < 2 ? Many(() => Gone(depth + 1), 2).ToDictionary(_ => Text() + _random.Next(), g => g) : []);

    public V1.HistoryOrder OrderV1() => new(
        Int(),
        Text(),
        (HistoryStatus)_random.Next(4),
        Many(LineV1),
        Many(() => (Text() + _random.Next(), Float())).ToDictionary(p => p.Item1, p => p.Item2),
        Gone(),
        Text(),
        Many(LineV1).ToArray(),
        _random.Next(2) == 0 ? null : _random.NextInt64());

    public V2.HistoryOrder OrderV2() => new(
        _random.NextInt64(),
        Text(),
        (HistoryStatus)_random.Next(4),
        Many(Line),
        Many(() => (Text() + _random.Next(), _random.NextDouble())).ToDictionary(p => p.Item1, p => p.Item2),
        Text(),
        _random.Next(2) == 0 ? null : Int(),
        Many(() => (byte)_random.Next(256)).ToArray(),
        Many(Line).ToArray());

    public V1.HistoryNote NoteV1() => new() { Text = Text(), At = Int() };

    /// <summary>Old HistoryEdge values that the current type can read (a customer, a status it knows).</summary>
    public V1.HistoryEdge EdgeV1() => new(Text(), _random.Next(2) == 0 ? V1.HistoryStatus.Paid : V1.HistoryStatus.New);
}
