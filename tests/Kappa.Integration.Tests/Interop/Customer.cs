namespace Kappa.Integration.Tests.Interop;

public enum CustomerTier
{
    Bronze,
    Silver,
    Gold,
}

/// <summary>
/// Version 3 of the customer record, today's code. Versions 1 and 2 exist only as schemas written by Confluent's
/// serializer (<see cref="ConfluentSerdesProcessorTests"/>): v1 had an int Id and tiers Gold, Bronze; v2 added Email.
/// v3 widens Id to long, adds Silver, and adds Country.
/// </summary>
[AvroRecord(Namespace = "kappa.interop.crm")]
public partial record Customer(long Id, string Name, CustomerTier Tier, string? Email, string? Country);

[AvroRecord(Namespace = "kappa.interop.crm")]
public partial record CustomerCard(string Title, long Id, string? Contact);

/// <summary>Confluent-framed in and out, on Kafka: the processor of <see cref="ConfluentSerdesProcessorTests"/>.</summary>
[StreamProcessor("customer-cards")]
public partial class CustomerCards
{
    [Consume("customers", Format = ValueFormat.ConfluentAvro)]
    [Output("customer-cards", Format = ValueFormat.ConfluentAvro)]
    public CustomerCard Handle(Customer customer) =>
        new($"{customer.Name} ({customer.Tier})", customer.Id, customer.Email ?? customer.Country);
}
