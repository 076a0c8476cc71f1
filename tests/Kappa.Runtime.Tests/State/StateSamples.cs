namespace Kappa.Runtime.Tests.State;

/// <summary>Fully populated sample values, built independently each call.</summary>
internal static class StateSamples
{
    public static Everything Rich(bool reverseInsertion = false)
    {
        var e = new Everything
        {
            Flag = true,
            B = 200,
            SB = -100,
            S = -30000,
            US = 60000,
            I = int.MinValue,
            UI = uint.MaxValue,
            L = long.MinValue,
            UL = ulong.MaxValue,
            F = -0.0f,
            D = double.Epsilon,
            M = -79228162514264337593543950335m,
            Text = "héllo \u2603 \U0001F600",
            MaybeText = null,
            At = new DateTimeOffset(2024, 2, 29, 23, 59, 58, 123, TimeSpan.FromHours(-5.5)),
            Span = TimeSpan.FromTicks(-1234567),
            Id = new Guid("00112233-4455-6677-8899-aabbccddeeff"),
            Color = Color.Blue,
            Big = Big.Max,
            MaybeColor = Color.Green,
            MaybeLong = null,
            MaybeDecimal = 0.001m,
            Child = new Inner { Name = "child", Score = 42 },
            Where = new Point { X = 1.5, Y = -2.25f },
            MaybeWhere = null,
            Numbers = [1, -1, long.MaxValue],
            Names = ["a", null, ""],
            Array = [3, 2, 1],
            Jagged = [[1], [], [2, 3]],
            Points = [new Point { X = 9 }, null],
        };

        (string Key, decimal Value)[] totals = [("b", 2.50m), ("a", 1m), ("\u00e9", 3m), ("A", 4m)];
        foreach (var (k, v) in reverseInsertion ? totals.Reverse() : totals)
        {
            e.Totals[k] = v;
        }

        e.Nested = new Dictionary<string, List<Inner?>>();
        (string Key, List<Inner?> Value)[] nested = [("x", [new Inner { Name = "n1" }, null]), ("", [])];
        foreach (var (k, v) in reverseInsertion ? nested.Reverse() : nested)
        {
            e.Nested[k] = v;
        }

        return e;
    }
}
