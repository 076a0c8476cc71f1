using Kappa.Runtime.Tests.Avro.Resolution;

namespace Kappa.Runtime.Tests.Processing;

[AvroRecord(Namespace = "kappa.framed")]
public partial record AccountSummary(long Id, string Name, string? Note);

/// <summary>Reads Confluent-framed accounts (any registered version, resolved to today's <see cref="Account"/>) and writes framed summaries.</summary>
[StreamProcessor("framed-accounts")]
public partial class FramedAccounts
{
    [Consume("accounts", Format = ValueFormat.ConfluentAvro)]
    [Output("account-summaries", Format = ValueFormat.ConfluentAvro)]
    public AccountSummary Handle(Account account) => new(account.Id, account.Name, account.Note);
}
