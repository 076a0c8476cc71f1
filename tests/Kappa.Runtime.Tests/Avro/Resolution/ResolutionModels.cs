using Kappa;

namespace Kappa.Runtime.Tests.Avro.Resolution;

public enum Tier
{
    Bronze,
    Silver,
    Gold,
}

[AvroRecord(Namespace = "kappa.res.typed")]
public partial record Contact(string Email, byte[] Phone);

/// <summary>The reader ("today's code") of the typed resolution tests.</summary>
[AvroRecord(Namespace = "kappa.res.typed")]
public partial record Account(long Id, string Name, double Balance, Tier Tier, List<long> Scores, Dictionary<string, double> Limits, string? Note, Contact Contact);
