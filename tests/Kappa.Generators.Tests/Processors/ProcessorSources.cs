namespace Kappa.Generators.Tests.Processors;

/// <summary>Source snippets for the processor generator tests. Record types implement IAvroRecord by hand (no Avro generator needed).</summary>
internal static class ProcessorSources
{
    public const string Records = """
        using Kappa.Avro;

        namespace Shop
        {
            public sealed class Order : IAvroRecord<Order>
            {
                public string Id { get; set; } = "";
                public long Amount { get; set; }
                public static string AvroSchemaJson => "{}";
                public static string AvroCanonicalSchema => "{}";
                public static long AvroFingerprint => 1;
                public static Order ReadAvro(ref AvroReader reader) => new Order { Id = reader.ReadString(), Amount = reader.ReadLong() };
                public static void WriteAvro(ref AvroWriter writer, in Order value) { writer.WriteString(value.Id); writer.WriteLong(value.Amount); }
            }

            public sealed class EnrichedOrder : IAvroRecord<EnrichedOrder>
            {
                public string Id { get; set; } = "";
                public long TimestampMs { get; set; }
                public static string AvroSchemaJson => "{}";
                public static string AvroCanonicalSchema => "{}";
                public static long AvroFingerprint => 2;
                public static EnrichedOrder ReadAvro(ref AvroReader reader) => new EnrichedOrder { Id = reader.ReadString(), TimestampMs = reader.ReadLong() };
                public static void WriteAvro(ref AvroWriter writer, in EnrichedOrder value) { writer.WriteString(value.Id); writer.WriteLong(value.TimestampMs); }
            }

            public struct Amount : IAvroRecord<Amount>
            {
                public long Value;
                public static string AvroSchemaJson => "{}";
                public static string AvroCanonicalSchema => "{}";
                public static long AvroFingerprint => 3;
                public static Amount ReadAvro(ref AvroReader reader) => new Amount { Value = reader.ReadLong() };
                public static void WriteAvro(ref AvroWriter writer, in Amount value) => writer.WriteLong(value.Value);
            }

            public sealed class NotAvro
            {
                public string Id { get; set; } = "";
            }
        }
        """;

    public const string EnrichOrders = """
        using Kappa;

        namespace Shop
        {
            [StreamProcessor("enrich-orders", Version = 1)]
            public partial class EnrichOrders
            {
                [Consume("orders")]
                [Output("enriched-orders")]
                public EnrichedOrder Handle(Order order, RecordContext ctx) =>
                    new EnrichedOrder { Id = order.Id, TimestampMs = ctx.TimestampMs };
            }
        }
        """;

    public const string AllShapes = """
        using System.Collections.Generic;
        using Kappa;
        using Shop;

        namespace Shop.Many
        {
            public interface IPriceList { long Factor { get; } }

            [StreamProcessor("all-shapes", Version = 3)]
            internal sealed partial class AllShapes
            {
                private readonly IPriceList _prices;

                public AllShapes(IPriceList prices, System.IFormatProvider? format = null) { _prices = prices; }

                [Consume("a")] [Output("out-a")]
                public EnrichedOrder? Nullable(Order order) => order.Amount > 0 ? new EnrichedOrder { Id = order.Id } : null;

                [Consume("b")] [Output("out-a")]
                public EnrichedOrder[] Array(in Order order, in RecordContext ctx) => new[] { new EnrichedOrder { Id = order.Id } };

                [Consume("c")] [Output("out-b")]
                public List<Amount> List(Order order) => new List<Amount> { new Amount { Value = order.Amount * _prices.Factor } };

                [Consume("d")] [Output("out-b")]
                public IReadOnlyList<Amount?> ReadOnlyList(Order order) => new Amount?[] { null, new Amount { Value = 1 } };

                [Consume("e")] [Output("out-c")]
                public static IEnumerable<EnrichedOrder?> Enumerable(Order order) { yield return null; yield return new EnrichedOrder { Id = order.Id }; }

                [Consume("f")] [Output("out-c")]
                public Amount? NullableStruct(Amount amount) => amount.Value == 0 ? null : amount;

                [Consume("g")] [Output("out-c")]
                public Amount Struct(Amount amount, RecordContext ctx) => amount;

                [Consume("h")]
                public void Sink(Order order) { }
            }
        }
        """;

    /// <summary>Confluent-framed values: a framed input with a plain output, a plain input with a framed output (Record strategy), a framed input and output (Topic strategy, two handlers on one sink), a framed void handler.</summary>
    public const string Framed = """
        using System.Collections.Generic;
        using Kappa;
        using Kappa.Avro.Registry;

        namespace Shop.Framed
        {
            [StreamProcessor("framed", Version = 2)]
            public partial class FramedOrders
            {
                [Consume("orders", Format = ValueFormat.ConfluentAvro)] [Output("plain-out")]
                public EnrichedOrder FramedIn(Order order) => new EnrichedOrder { Id = order.Id };

                [Consume("raw-orders")] [Output("framed-out", Format = ValueFormat.ConfluentAvro, SubjectNameStrategy = SubjectNameStrategy.Record)]
                public EnrichedOrder? FramedOut(Order order) => order.Amount == 0 ? null : new EnrichedOrder { Id = order.Id };

                [Consume("amounts", Format = ValueFormat.ConfluentAvro)] [Output("both", Format = ValueFormat.ConfluentAvro)]
                public List<Amount> Both(Amount amount) => new List<Amount> { amount };

                [Consume("more-amounts", Format = ValueFormat.ConfluentAvro)] [Output("both", Format = ValueFormat.ConfluentAvro)]
                public IEnumerable<Amount> BothAgain(Amount amount, RecordContext ctx) { yield return amount; }

                [Consume("audit", Format = ValueFormat.ConfluentAvro)]
                public void Audit(Order order) { }
            }
        }
        """;

    public const string GlobalNamespace = """
        using Kappa;
        using Shop;

        [StreamProcessor("global-proc")]
        public partial class GlobalProcessor
        {
            [Consume("orders")]
            public void Handle(Order order) { }
        }
        """;

    /// <summary>Stateful handlers: struct state by ref, named nullable class state, nullable struct state, a shared store.</summary>
    public const string Stateful = """
        using Kappa;
        using Kappa.State;
        namespace Shop.Stateful
        {
            [ProcessorState]
            public partial struct Counter
            {
                public long Count;
            }

            [ProcessorState]
            public partial class Customer
            {
                public string Name = "";
                public long Spent;
            }

            [StreamProcessor("stateful", Version = 4)]
            public partial class Stateful
            {
                [Consume("orders")] [Output("counts")]
                public Shop.Amount Count(Shop.Order order, ref Counter counts) { counts.Count++; return new Shop.Amount { Value = counts.Count }; }

                [Consume("customers")]
                public void Track(Shop.Order order, [StateStore("customer-profiles")] ref Customer? customer, RecordContext ctx)
                {
                    if (order.Amount < 0) { customer = null; return; }
                    customer ??= new Customer();
                    customer.Spent += order.Amount;
                }

                [Consume("refunds")] [Output("counts")]
                public Shop.Amount? Refund(Shop.Order order, ref Counter? counts)
                {
                    if (counts is null) { return null; }
                    counts = new Counter { Count = counts.Value.Count - 1 };
                    return new Shop.Amount { Value = counts.Value.Count };
                }
            }
        }
        """;
}
