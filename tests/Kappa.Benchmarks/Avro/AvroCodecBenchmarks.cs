using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Google.Protobuf;
using Kappa.Avro;
using Kappa.Benchmarks.Avro.Proto;
using Kappa.Buffers;

namespace Kappa.Benchmarks.Avro;

/// <summary>
/// Generated Avro codec against System.Text.Json source generation and Google.Protobuf on an equivalent Order message.
/// Encode benchmarks write into a reused pooled buffer (reset per operation); decode benchmarks read from a byte array.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class AvroCodecBenchmarks
{
    private readonly PooledBufferWriter _buffer = new(1024);
    private BenchOrder _order = null!;
    private ProtoOrder _proto = null!;
    private byte[] _avroBytes = null!;
    private byte[] _jsonBytes = null!;
    private byte[] _protoBytes = null!;
    private Utf8JsonWriter _jsonWriter = null!;

    [GlobalSetup]
    public void Setup()
    {
        _order = new BenchOrder(
            "ord-2026-000123",
            "Ada Lovelace",
            1234.56m,
            new DateTimeOffset(2026, 11, 21, 8, 30, 0, TimeSpan.Zero),
            new BenchAddress("12 Analytical Engine Way", "London", "GB"),
            [
                new BenchLine("SKU-0001", 2, 199.99m),
                new BenchLine("SKU-0042", 1, 34.50m),
                new BenchLine("SKU-1337", 5, 160.02m),
            ],
            BenchStatus.Paid);
        _proto = new ProtoOrder
        {
            OrderId = _order.OrderId,
            Customer = _order.Customer,
            TotalUnits = 1234,
            TotalNanos = 560_000_000,
            PlacedAtMillis = _order.PlacedAt.ToUnixTimeMilliseconds(),
            ShipTo = new ProtoAddress { Street = _order.ShipTo.Street, City = _order.ShipTo.City, Country = _order.ShipTo.Country },
            Status = 1,
        };
        foreach (BenchLine line in _order.Lines)
        {
            long units = (long)decimal.Truncate(line.Price);
            _proto.Lines.Add(new ProtoLine { Sku = line.Sku, Quantity = line.Quantity, PriceUnits = units, PriceNanos = (int)((line.Price - units) * 1_000_000_000m) });
        }

        _avroBytes = AvroSerializer.SerializeToArray(_order);
        _jsonBytes = JsonSerializer.SerializeToUtf8Bytes(_order, BenchJsonContext.Default.BenchOrder);
        _protoBytes = _proto.ToByteArray();
        _jsonWriter = new Utf8JsonWriter(_buffer);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _jsonWriter.Dispose();
        _buffer.Dispose();
    }

    [Benchmark]
    [BenchmarkCategory("Encode")]
    public int Encode_Avro()
    {
        _buffer.Reset();
        AvroSerializer.Serialize(_order, _buffer);
        return _buffer.WrittenCount;
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Encode")]
    public int Encode_SystemTextJson()
    {
        _buffer.Reset();
        _jsonWriter.Reset(_buffer);
        JsonSerializer.Serialize(_jsonWriter, _order, BenchJsonContext.Default.BenchOrder);
        return _buffer.WrittenCount;
    }

    [Benchmark]
    [BenchmarkCategory("Encode")]
    public int Encode_Protobuf()
    {
        _buffer.Reset();
        _proto.WriteTo(_buffer);
        return _buffer.WrittenCount;
    }

    [Benchmark]
    [BenchmarkCategory("Decode")]
    public BenchOrder Decode_Avro() => AvroSerializer.Deserialize<BenchOrder>(_avroBytes);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Decode")]
    public BenchOrder Decode_SystemTextJson() => JsonSerializer.Deserialize(_jsonBytes, BenchJsonContext.Default.BenchOrder)!;

    [Benchmark]
    [BenchmarkCategory("Decode")]
    public ProtoOrder Decode_Protobuf() => ProtoOrder.Parser.ParseFrom(_protoBytes);
}
