namespace Kappa.Generators.Tests.Sinks;

internal static class ServingTableSources
{
    /// <summary>An upsert table with every column kind: composite key, renamed column, indexes, nullable and JSON columns.</summary>
    public const string AllColumns = """
        using System;
        using System.Collections.Generic;
        using Kappa;

        namespace Shop;

        public enum Tier { Standard, Silver, Gold, Best = Gold }

        [AvroRecord]
        public partial record Line(string Sku, int Quantity, [AvroDecimal(12, 2)] decimal UnitPrice, Tier? Tier, DateOnly Day);

        [AvroRecord]
        [ServingTable(TableMode.Upsert)]
        [TableIndex(nameof(Region), nameof(PlacedAt))]
        [TableIndex(nameof(Reference), Unique = true)]
        public partial record RegionOrder(
            [property: TableKey(Order = 1)] string OrderId,
            [property: TableKey(Order = 0)] string Region,
            bool Paid,
            int Items,
            long Sequence,
            float Weight,
            double Score,
            [AvroDecimal(12, 2)] decimal Amount,
            [property: TableColumn("ref")] Guid Reference,
            DateTimeOffset PlacedAt,
            DateTime LoggedAt,
            byte[] Signature,
            ReadOnlyMemory<byte> Thumbnail,
            Tier Tier,
            string? Coupon,
            int? Rating,
            DateTimeOffset? ShippedAt,
            Line FirstLine,
            Line? Gift,
            List<Line> Lines,
            string[] Tags,
            IReadOnlyList<double> Scores,
            Dictionary<string, int> Counts,
            IReadOnlyDictionary<string, List<Line>> ByWarehouse);
        """;

    /// <summary>An append table in a class with settable properties, nested in a containing type.</summary>
    public const string AppendTable = """
        using System;
        using Kappa;

        namespace Shop.Audit;

        public static partial class Events
        {
            [AvroRecord]
            [ServingTable(TableMode.Append)]
            [TableIndex(nameof(Customer))]
            public partial class OrderEvent
            {
                public string Customer { get; set; } = "";

                public string Kind { get; set; } = "";

                public DateTimeOffset At { get; set; }
            }
        }
        """;
}
