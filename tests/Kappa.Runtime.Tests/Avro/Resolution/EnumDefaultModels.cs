using Kappa;

namespace Kappa.Runtime.Tests.Avro.Resolution;

/// <summary>A reader enum with an enum-level Avro default: writer symbols it lacks read as Unknown.</summary>
[AvroEnumDefault(nameof(Unknown))]
public enum ParcelState
{
    Unknown,
    Placed,
    Shipped,
}

/// <summary>The same symbols without a default: a writer symbol it lacks is a decode error.</summary>
public enum StrictParcelState
{
    Unknown,
    Placed,
    Shipped,
}

[AvroRecord(Namespace = "kappa.res.enumdefault")]
public partial record Parcel(string Id, ParcelState State);

[AvroRecord(Namespace = "kappa.res.enumdefault")]
public partial record StrictParcel(string Id, StrictParcelState State);
