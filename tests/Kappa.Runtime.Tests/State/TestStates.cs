using Kappa.State;

namespace Kappa.Runtime.Tests.State;

// State types used by the runtime state tests. The generator (referenced as an analyzer) implements IProcessorState.

public enum Color : byte
{
    Red,
    Green,
    Blue,
}

public enum Big : ulong
{
    Zero = 0,
    Max = ulong.MaxValue,
}

[ProcessorState]
public partial struct Totals
{
    public decimal Revenue;
    public long Orders;
}

[ProcessorState]
public partial class Inner
{
    public string Name { get; set; } = "";

    public int? Score;
}

[ProcessorState]
public partial record struct Point
{
    public double X { get; set; }

    public float Y { get; set; }
}

[ProcessorState]
public partial class Everything
{
    public bool Flag;
    public byte B;
    public sbyte SB;
    public short S;
    public ushort US;
    public int I;
    public uint UI;
    public long L;
    public ulong UL;
    public float F;
    public double D;
    public decimal M;
    public string Text = "initial";
    public string? MaybeText = "initial";
    public DateTimeOffset At;
    public TimeSpan Span;
    public Guid Id;
    public Color Color;
    public Big Big;
    public Color? MaybeColor;
    public long? MaybeLong;
    public decimal? MaybeDecimal;
    public Inner? Child;
    public Point Where;
    public Point? MaybeWhere;
    public List<long> Numbers = new();
    public List<string?>? Names;
    public int[] Array = [];
    public int[][]? Jagged;
    public Dictionary<string, decimal> Totals = new();
    public Dictionary<string, List<Inner?>>? Nested;
    public List<Point?> Points = new();
}

/// <summary>Version 1 of a state...</summary>
[ProcessorState]
public partial class CounterV1
{
    public long Count;
    public string? Label;
}

/// <summary>...and version 2 with fields added at the end (their defaults apply to old state).</summary>
[ProcessorState]
public partial class CounterV2
{
    public long Count;
    public string? Label;
    public int Added = 7;
    public List<string> Tags = ["default"];
    public Totals Sums;
}

/// <summary>An old shape: not in the lock file, so its fields are numbered 1, 2, 3.</summary>
[ProcessorState]
public partial class LegacyV1
{
    public long Count;
    public long Amount;
    public string Note = "";
}

/// <summary>
/// The new shape of LegacyV1: kappa-state.lock.json records it as LegacyV1's shape. Amount was retyped (long cents to
/// decimal) and Note removed, both with migrations; NoteLength is new.
/// </summary>
[ProcessorState]
public partial class LegacyV2
{
    public long Count;
    public decimal Amount;
    public int NoteLength = -1;

    [StateMigration("Amount")]
    private static void MigrateAmount(ref LegacyV2 state, long oldCents) => state.Amount = oldCents / 100m;

    [StateMigration("Note")]
    private static void MigrateNote(ref LegacyV2 state, string? oldNote) => state.NoteLength = oldNote?.Length ?? 0;
}
