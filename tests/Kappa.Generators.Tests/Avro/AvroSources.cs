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
}
