namespace Kappa.Generators.Tests.State;

/// <summary>Source snippets shared by the state generator tests.</summary>
internal static class StateSources
{
    public const string RegionTotals = """
        using Kappa;
        namespace Demo;

        [ProcessorState]
        public partial struct RegionTotals
        {
            public decimal Revenue;
            public long Orders;
        }
        """;

    public const string AllTypes = """
        using System;
        using System.Collections.Generic;
        using Kappa;
        namespace Demo;

        public enum Color : byte { Red, Green }
        public enum Big : ulong { Max = ulong.MaxValue }

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
            public string Text = "";
            public string? MaybeText;
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
            public int Computed => I * 2;
            private int _hidden = 1;
            public int Hidden() => _hidden;
        }
        """;

    public const string Nested = """
        using Kappa;
        namespace Demo.Deep;

        public static partial class Outer
        {
            public partial class Middle
            {
                [ProcessorState]
                public partial struct Counter
                {
                    public int Count { get; set; }
                }
            }
        }
        """;

    public const string GlobalNamespace = """
        [Kappa.ProcessorState]
        public partial struct GlobalCounter
        {
            public int Count;
        }
        """;
}
