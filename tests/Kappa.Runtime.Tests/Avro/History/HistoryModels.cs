using Kappa.Avro.Schemas;

namespace Kappa.Runtime.Tests.Avro.History;

// The current shapes. kappa-avro-history.json (next to this file) records the schemas they had before: the types nested
// in V1 and V2 below, which have the same Avro full names (a nested type's Avro namespace is its C# namespace), so
// their generated WriteAvro writes data exactly as the old code did.

public enum HistoryStatus
{
    New,
    Paid,
    Shipped,
    Cancelled,
}

[AvroRecord]
public partial record HistoryLine(string Sku, long Quantity, double Price, string? Note);

[AvroRecord]
public partial record HistoryOrder(
    long Id,
    string Customer,
    HistoryStatus Status,
    List<HistoryLine> Lines,
    Dictionary<string, double> Totals,
    string? Channel,
    int? Priority,
    byte[] Payload,
    HistoryLine[] Returns);

/// <summary>A class with init properties (not positional), read from its history too.</summary>
[AvroRecord]
public partial class HistoryNote
{
    public string Text { get; set; } = string.Empty;

    public long At { get; set; }

    public string? Author { get; set; }
}

/// <summary>Changes the compatibility check rejects (hence NONE): data that uses them fails to decode, data that does not decodes.</summary>
[AvroRecord(Compatibility = AvroCompatibilityMode.None)]
public partial record HistoryEdge(string Customer, HistoryStatus Status);

/// <summary>Version 1 of the history types.</summary>
public static partial class V1
{
    public enum HistoryStatus
    {
        Paid,
        New,
        Lost,
    }

    [AvroRecord]
    public partial record Gone(string Why, List<int> Codes, Dictionary<string, Gone> Children);

    [AvroRecord]
    public partial record HistoryLine(string Sku, int Quantity, float Price, string Legacy);

    [AvroRecord]
    public partial record HistoryOrder(
        int Id,
        string Customer,
        Kappa.Runtime.Tests.Avro.History.HistoryStatus Status,
        List<HistoryLine> Lines,
        Dictionary<string, float> Totals,
        Gone Obsolete,
        string Payload,
        HistoryLine[] Returns,
        long? Extra);

    [AvroRecord]
    public partial class HistoryNote
    {
        public string Text { get; set; } = string.Empty;

        public int At { get; set; }
    }

    [AvroRecord]
    public partial record HistoryEdge(string? Customer, HistoryStatus Status);
}

/// <summary>Version 2 of HistoryOrder.</summary>
public static partial class V2
{
    [AvroRecord]
    public partial record HistoryOrder(
        long Id,
        string Customer,
        HistoryStatus Status,
        List<HistoryLine> Lines,
        Dictionary<string, double> Totals,
        string Channel,
        int? Priority,
        byte[] Payload,
        HistoryLine[] Returns);
}
