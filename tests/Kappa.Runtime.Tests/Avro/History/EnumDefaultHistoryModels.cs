namespace Kappa.Runtime.Tests.Avro.History;

// An enum that lost a symbol, read through its schema history: kappa-avro-history.json records version 1 (V1 below,
// with Returned) and today's shape, whose enum has [AvroEnumDefault], so the generator emits a resolving decoder that
// reads Returned as Unknown (without the default the build would fail with KAPPA012).

[AvroEnumDefault(nameof(HistoryParcelState.Unknown))]
public enum HistoryParcelState
{
    Unknown,
    Placed,
    Shipped,
}

[AvroRecord]
public partial record HistoryParcel(string Id, HistoryParcelState State);

/// <summary>Version 1 of HistoryParcel.</summary>
public static partial class V1
{
    public enum HistoryParcelState
    {
        Unknown,
        Placed,
        Shipped,
        Returned,
    }

    [AvroRecord]
    public partial record HistoryParcel(string Id, HistoryParcelState State);
}
