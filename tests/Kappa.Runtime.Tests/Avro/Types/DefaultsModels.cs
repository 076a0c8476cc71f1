using Kappa;

namespace Kappa.Runtime.Tests.Avro.Types;

public enum Tier
{
    Basic,
    Gold,
}

[AvroRecord(Namespace = "kappa.types")]
[AvroDoc("A postal address.")]
public partial record Place(string Street, [AvroDefault("\"Berlin\"")] string City);

/// <summary>Version 2 of an account: every field after DisplayName was added with a default; DisplayName was renamed from "name".</summary>
[AvroRecord(Namespace = "kappa.types")]
[AvroDoc("A customer's account settings.")]
[AvroAlias("kappa.legacy.AccountSettings")]
public partial record Account(
    [AvroDoc("Primary key.")] long Id,
    [AvroAlias("name")] string DisplayName,
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
