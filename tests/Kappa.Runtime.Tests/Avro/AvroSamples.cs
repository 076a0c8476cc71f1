using System.Text;

namespace Kappa.Runtime.Tests.Avro;

/// <summary>Values shared by the round-trip, robustness and interop tests.</summary>
public static class AvroSamples
{
    public static Everything Full() => new(
        Flag: true,
        Int: int.MinValue,
        Long: long.MaxValue,
        Float: -1.5f,
        Double: double.Epsilon,
        Text: "héllo wörld ✓ 日本語 🎉",
        Bytes: [0, 1, 2, 255, 128],
        Memory: new byte[] { 9, 8, 7 },
        Status: Status.Cancelled,
        MaybeInt: -42,
        MaybeText: "Ünïcödé",
        Home: new Address("Main St 1", "Zürich", 8000),
        Work: new Address("Side St", null, -1),
        Location: new Point(1.25, -2.5),
        MaybeLocation: new Point(0, double.MaxValue),
        Numbers: [int.MinValue, -1, 0, 1, int.MaxValue],
        Tags: ["a", "", "ß"],
        Lines: [new OrderLine("SKU-1", 3, 19.9900m), new OrderLine("SKU-2", -1, -0.0001m)],
        Counters: new Dictionary<string, long> { ["min"] = long.MinValue, ["max"] = long.MaxValue, ["zero"] = 0 },
        Addresses: new Dictionary<string, Address?> { ["home"] = new Address("x", "y", 1), ["none"] = null },
        Amount: -12345678901234.123456m,
        MaybeAmount: 99999999.99m,
        CreatedMillis: new DateTimeOffset(2024, 2, 29, 23, 59, 58, 123, TimeSpan.FromHours(2)),
        CreatedMicros: new DateTimeOffset(1969, 12, 31, 23, 59, 59, TimeSpan.Zero).AddTicks(1230),
        UpdatedMillis: new DateTime(2001, 9, 9, 1, 46, 40, 5, DateTimeKind.Utc),
        UpdatedMicros: new DateTime(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(10),
        Day: new DateOnly(1955, 11, 5),
        Id: Guid.Parse("7f1c4f4e-8f4b-4a57-9b5d-4c1a2b3c4d5e"),
        MaybeId: null,
        Matrix: [[1, 2], [], [-3]],
        MaybeStatus: Status.Shipped);

    public static Everything Empty() => new(
        Flag: false,
        Int: 0,
        Long: long.MinValue,
        Float: 0,
        Double: 0,
        Text: string.Empty,
        Bytes: [],
        Memory: ReadOnlyMemory<byte>.Empty,
        Status: Status.Pending,
        MaybeInt: null,
        MaybeText: null,
        Home: new Address(string.Empty, null, 0),
        Work: null,
        Location: default,
        MaybeLocation: null,
        Numbers: [],
        Tags: [],
        Lines: [],
        Counters: new Dictionary<string, long>(),
        Addresses: new Dictionary<string, Address?>(),
        Amount: 0m,
        MaybeAmount: null,
        CreatedMillis: DateTimeOffset.UnixEpoch,
        CreatedMicros: DateTimeOffset.UnixEpoch,
        UpdatedMillis: DateTime.UnixEpoch,
        UpdatedMicros: DateTime.UnixEpoch,
        Day: DateOnly.FromDateTime(DateTime.UnixEpoch),
        Id: Guid.Empty,
        MaybeId: Guid.Parse("00000000-0000-0000-0000-000000000001"),
        Matrix: [],
        MaybeStatus: null);

    /// <summary>A structural description for equality checks (records with collections do not compare by content).</summary>
    public static string Describe(Everything e)
    {
        var sb = new StringBuilder();
        sb.Append($"{e.Flag}|{e.Int}|{e.Long}|{e.Float:R}|{e.Double:R}|{e.Text}|{Convert.ToHexString(e.Bytes)}|{Convert.ToHexString(e.Memory.Span)}|{e.Status}|");
        sb.Append($"{e.MaybeInt}|{e.MaybeText ?? "<null>"}|{e.Home}|{e.Work?.ToString() ?? "<null>"}|{e.Location}|{e.MaybeLocation?.ToString() ?? "<null>"}|");
        sb.Append(string.Join(",", e.Numbers)).Append('|').Append(string.Join(",", e.Tags)).Append('|').Append(string.Join(",", e.Lines)).Append('|');
        sb.Append(string.Join(",", e.Counters.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key}={k.Value}"))).Append('|');
        sb.Append(string.Join(",", e.Addresses.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key}={k.Value?.ToString() ?? "<null>"}"))).Append('|');
        sb.Append($"{e.Amount.ToString("G29")}|{e.MaybeAmount?.ToString("G29")}|{e.CreatedMillis.UtcTicks}|{e.CreatedMicros.UtcTicks}|{e.UpdatedMillis.Ticks}|{e.UpdatedMicros.Ticks}|{e.Day}|{e.Id}|{e.MaybeId}|");
        sb.Append(string.Join(";", e.Matrix.Select(r => string.Join(",", r)))).Append('|').Append(e.MaybeStatus?.ToString() ?? "<null>");
        return sb.ToString();
    }
}
