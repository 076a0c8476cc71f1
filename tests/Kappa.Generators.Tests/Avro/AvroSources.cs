namespace Kappa.Generators.Tests.Avro;

/// <summary>Input sources for the Avro generator tests.</summary>
internal static class AvroSources
{
    public const string AllTypes = """
        using System;
        using System.Collections.Generic;
        using Kappa;

        namespace Shop;

        public enum Status { Pending, Shipped, Cancelled, Legacy = 0 }

        [AvroRecord]
        public partial record Address(string Street, string? City);

        [AvroRecord]
        public partial record struct Money([AvroDecimal(18, 2)] decimal Amount, string Currency);

        [AvroRecord(Namespace = "com.example.orders", Name = "OrderPlaced")]
        public partial record Order(
            bool Flag,
            int Count,
            long Id,
            float Ratio,
            double Score,
            string Customer,
            byte[] Payload,
            ReadOnlyMemory<byte> Raw,
            Status Status,
            int? MaybeCount,
            string? Note,
            Address Ship,
            Address? Bill,
            Money Total,
            Money? Discount,
            int[] Numbers,
            string?[] MaybeTexts,
            List<Address> Lines,
            IReadOnlyList<int[]> Grid,
            Dictionary<string, long> Counters,
            IReadOnlyDictionary<string, Address?> Book,
            [AvroDecimal(9, 3)] decimal Tax,
            DateTimeOffset PlacedAt,
            [AvroTimestamp(AvroTimestampPrecision.Micros)] DateTime UpdatedAt,
            DateOnly Day,
            Guid Key,
            Status? MaybeStatus);
        """;

    public const string ClassAndStruct = """
        using System.Collections.Generic;
        using Kappa;

        namespace Shop.Model
        {
            public static partial class Container
            {
                [AvroRecord]
                public partial class Customer
                {
                    public string Name { get; set; } = "";
                    public int Age { get; init; }
                    public string? Email;
                    public Customer? Referrer { get; set; }
                    public List<Customer> Friends { get; set; } = new();
                    public string ReadOnly => Name;
                }

                [AvroRecord]
                public partial struct Sample
                {
                    public long Time { get; set; }
                    public double @class { get; set; }
                }
            }
        }

        [AvroRecord]
        public partial record GlobalRecord(int Value);
        """;

    /// <summary>Field defaults (attribute and C# default values), docs and aliases on records and fields.</summary>
    public const string Defaults = """
        using System;
        using System.Collections.Generic;
        using Kappa;

        namespace Shop;

        public enum Tier { Basic, Gold }

        [AvroRecord]
        [AvroDoc("A postal address.")]
        public partial record Place(string Street, [AvroDefault("\"Berlin\"")] string City);

        [AvroRecord(Namespace = "shop.v2")]
        [AvroDoc("A customer's account settings \"as of v2\".")]
        [AvroAlias("Settings")]
        [AvroAlias("shop.v1.AccountSettings")]
        public partial record Account(
            [AvroDoc("Primary key.")] long Id,
            [AvroAlias("name"), AvroAlias("fullName")] string DisplayName,
            int Retries = 3,
            long Budget = -9000000000,
            float Ratio = 0.25f,
            double Limit = 1048576.5,
            bool Active = true,
            string Locale = "de-DE ü",
            Tier Tier = Tier.Gold,
            string? Note = null,
            string? Channel = "web",
            int? Age = 42,
            [AvroDecimal(9, 2)] decimal Credit = -1.5m,
            [AvroDefault("\"\\u0000\\u00ff\"")] byte[]? Salt = null,
            [AvroDefault("\"\\u00012\"")] byte[] Pepper = null!,
            [AvroDefault("[1, 2, 3]")] List<int> Counts = null!,
            [AvroDefault("{\"a\": 1.5, \"b\": -2}")] Dictionary<string, double> Weights = null!,
            [AvroDefault("{\"Street\": \"Main\"}")] Place Home = null!,
            [AvroDefault("1700000000000")] DateTimeOffset Since = default,
            [AvroDefault("19000")] DateOnly Day = default,
            [AvroDefault("\"00000000-0000-0000-0000-000000000001\"")] Guid Token = default,
            [AvroDefault("123.456")] [AvroDecimal(10, 3)] decimal Fee = 0m);
        """;

    /// <summary>Fixed, time, local timestamps, uuid on fixed, duration and [AvroUnion] members.</summary>
    public const string LogicalAndUnions = """
        using System;
        using System.Collections.Generic;
        using Kappa;

        namespace Shop;

        [AvroUnion(typeof(Card), typeof(Cash), typeof(GiftCard))]
        public abstract partial record Payment;

        [AvroRecord]
        public partial record Card(string Number) : Payment;

        [AvroRecord]
        public partial record Cash(long Cents) : Payment;

        [AvroRecord]
        public partial record GiftCard(string Code, long Cents) : Card(Code);

        [AvroRecord]
        public partial record Shipment(
            [AvroFixed(32, Name = "Sha256", Namespace = "shop.hash")] byte[] Hash,
            [AvroFixed(4)] ReadOnlyMemory<byte> Tag,
            [AvroFixed] Guid Id,
            Guid TextId,
            AvroDuration Window,
            [AvroFixed(Name = "Grace")] AvroDuration? Grace,
            TimeOnly Opens,
            [AvroTimestamp(AvroTimestampPrecision.Micros)] TimeOnly Closes,
            [AvroTimestamp(Local = true)] DateTime LocalMillis,
            [AvroTimestamp(AvroTimestampPrecision.Micros, Local = true)] DateTime LocalMicros,
            Payment Payment,
            Payment? Refund,
            List<Payment> History,
            [AvroDefault("{\"Number\": \"n/a\"}")] Payment Fallback = null!,
            [AvroDefault("{\"Number\": \"tip\"}")] Payment? Tip = null,
            [AvroFixed(32, Name = "Sha256", Namespace = "shop.hash")] byte[]? Previous = null);

        [AvroRecord]
        public partial record Reading(
            AvroUnion<int, string> Value,
            AvroUnion<long, Card, List<string>>? Extra,
            Dictionary<string, AvroUnion<double, bool>> Flags,
            [AvroDefault("\"none\"")] AvroUnion<string, Cash> Note = default);
        """;
}
