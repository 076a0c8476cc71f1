using System.Buffers;
using System.Text;
using Kappa.State;

namespace Kappa.Runtime.Tests.State;

public class StateSerializerTests
{
    private static byte[] Bytes<T>(in T value)
        where T : IProcessorState<T> => StateSerializer.SerializeToArray(in value);

    private static uint Fnv1a(string text)
    {
        uint hash = 2166136261;
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 16777619;
        }

        return hash;
    }

    private static uint Fingerprint<T>()
        where T : IProcessorState<T> => T.StateSchemaFingerprint;

    [Fact]
    public void Struct_state_has_the_documented_bytes()
    {
        var totals = new Totals { Revenue = 12.50m, Orders = 3 };
        uint fp = Fingerprint<Totals>();
        Assert.Equal(Fnv1a("state Kappa.Runtime.Tests.State.Totals\n1 Revenue decimal\n2 Orders long\n"), fp);
        byte[] expected =
        [
            0x01, 0x01, (byte)fp, (byte)(fp >> 8), (byte)(fp >> 16), (byte)(fp >> 24), // format 1, schema version 1, fingerprint
            0x0B, 0x7D, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x00, 0, 0, // field 1 fixed128: 125 scale 1
            0x10, 0x06, // field 2 varint: zig-zag(3)
            0x00, // end
        ];
        Assert.Equal(expected, Bytes(in totals));
    }

    [Fact]
    public void Schema_text_lists_fields_in_number_order()
    {
        Assert.Equal("state Kappa.Runtime.Tests.State.Totals\n1 Revenue decimal\n2 Orders long\n", StateSchemaOf<Totals>());
        Assert.Equal(1, VersionOf<Totals>());
    }

    [Fact]
    public void Rich_value_round_trips()
    {
        Everything original = StateSamples.Rich();
        byte[] bytes = Bytes(in original);
        Everything copy = StateSerializer.Deserialize<Everything>(bytes);

        Assert.Equal(original.Flag, copy.Flag);
        Assert.Equal(original.B, copy.B);
        Assert.Equal(original.SB, copy.SB);
        Assert.Equal(original.S, copy.S);
        Assert.Equal(original.US, copy.US);
        Assert.Equal(original.I, copy.I);
        Assert.Equal(original.UI, copy.UI);
        Assert.Equal(original.L, copy.L);
        Assert.Equal(original.UL, copy.UL);
        Assert.Equal(BitConverter.SingleToInt32Bits(original.F), BitConverter.SingleToInt32Bits(copy.F));
        Assert.Equal(original.D, copy.D);
        Assert.Equal(original.M, copy.M);
        Assert.Equal(original.Text, copy.Text);
        Assert.Null(copy.MaybeText); // null is kept, not replaced by the initializer
        Assert.Equal(original.At, copy.At);
        Assert.Equal(original.At.Offset, copy.At.Offset);
        Assert.Equal(original.Span, copy.Span);
        Assert.Equal(original.Id, copy.Id);
        Assert.Equal(Color.Blue, copy.Color);
        Assert.Equal(Big.Max, copy.Big);
        Assert.Equal(Color.Green, copy.MaybeColor);
        Assert.Null(copy.MaybeLong);
        Assert.Equal(0.001m, copy.MaybeDecimal);
        Assert.Equal("child", copy.Child!.Name);
        Assert.Equal(42, copy.Child.Score);
        Assert.Equal(original.Where, copy.Where);
        Assert.Null(copy.MaybeWhere);
        Assert.Equal(original.Numbers, copy.Numbers);
        Assert.Equal(original.Names, copy.Names);
        Assert.Equal(original.Array, copy.Array);
        Assert.Equal(original.Jagged, copy.Jagged);
        Assert.Equal(original.Totals, copy.Totals);
        Assert.Equal(["", "x"], copy.Nested!.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("n1", copy.Nested["x"][0]!.Name);
        Assert.Null(copy.Nested["x"][1]);
        Assert.Empty(copy.Nested[""]);
        Assert.Equal(original.Points, copy.Points);

        // Reading and writing again gives the same bytes.
        Assert.Equal(bytes, Bytes(in copy));
    }

    [Fact]
    public void Empty_class_value_round_trips_nulls_instead_of_initializers()
    {
        var value = new Everything { Text = null!, Numbers = null!, Totals = null!, Points = null!, Array = null! };
        Everything copy = StateSerializer.Deserialize<Everything>(Bytes(in value));
        Assert.Null(copy.Text);
        Assert.Null(copy.Numbers);
        Assert.Null(copy.Totals);
        Assert.Null(copy.Points);
        Assert.Null(copy.Array);
        Assert.Null(copy.Child);
    }

    [Fact]
    public void Independently_built_values_give_identical_bytes_whatever_the_dictionary_insertion_order()
    {
        byte[] a = Bytes(StateSamples.Rich(reverseInsertion: false));
        byte[] b = Bytes(StateSamples.Rich(reverseInsertion: true));
        Assert.Equal(a, b);
    }

    [Fact]
    public void Dictionary_with_removed_keys_and_other_capacity_gives_the_same_bytes()
    {
        var x = new Everything();
        x.Totals = new Dictionary<string, decimal>(100);
        for (int i = 0; i < 50; i++)
        {
            x.Totals["k" + i] = i;
        }

        for (int i = 10; i < 50; i++)
        {
            x.Totals.Remove("k" + i);
        }

        var y = new Everything();
        for (int i = 9; i >= 0; i--)
        {
            y.Totals["k" + i] = i;
        }

        Assert.Equal(Bytes(in x), Bytes(in y));
    }

    [Fact]
    public void Equal_decimals_with_different_scales_give_identical_bytes()
    {
        var a = new Totals { Revenue = 1.50m };
        var b = new Totals { Revenue = 1.5000m };
        var zero = new Totals { Revenue = 0m };
        var negativeZero = new Totals { Revenue = -0.000m };
        Assert.Equal(Bytes(in a), Bytes(in b));
        Assert.Equal(Bytes(in zero), Bytes(in negativeZero));
        Assert.Equal(1.5m, StateSerializer.Deserialize<Totals>(Bytes(in b)).Revenue);

        // Coefficients above 64 bits take the 128-bit path: 10^27 with scale 5 is 10^22.
        var big = new Totals { Revenue = 10000000000000000000000.00000m };
        var bigNormal = new Totals { Revenue = 10000000000000000000000m };
        Assert.Equal(5, decimal.GetBits(big.Revenue)[3] >> 16);
        Assert.Equal(Bytes(in bigNormal), Bytes(in big));
        Assert.Equal(bigNormal.Revenue, StateSerializer.Deserialize<Totals>(Bytes(in big)).Revenue);
        var mixed = new Totals { Revenue = 7922816251426433759354395.0330m };
        Assert.Equal(7922816251426433759354395.033m, StateSerializer.Deserialize<Totals>(Bytes(in mixed)).Revenue);
        Assert.Equal(Bytes(new Totals { Revenue = 7922816251426433759354395.033m }), Bytes(in mixed));
    }

    [Fact]
    public void Old_state_reads_with_the_new_type_keeping_defaults_of_added_fields()
    {
        var v1 = new CounterV1 { Count = 41, Label = "old" };
        CounterV2 v2 = StateSerializer.Deserialize<CounterV2>(Bytes(in v1));
        Assert.Equal(41, v2.Count);
        Assert.Equal("old", v2.Label);
        Assert.Equal(7, v2.Added);
        Assert.Equal(["default"], v2.Tags);
        Assert.Equal(default, v2.Sums);
    }

    [Fact]
    public void New_state_reads_with_the_old_type_skipping_unknown_fields()
    {
        var v2 = new CounterV2 { Count = 5, Label = "new", Added = 9, Tags = ["x", "y"], Sums = new Totals { Orders = 2, Revenue = 3m } };
        CounterV1 v1 = StateSerializer.Deserialize<CounterV1>(Bytes(in v2));
        Assert.Equal(5, v1.Count);
        Assert.Equal("new", v1.Label);
    }

    [Fact]
    public void Migrations_convert_retyped_and_removed_fields_of_old_state()
    {
        var old = new LegacyV1 { Count = 3, Amount = 1234, Note = "hello" };
        LegacyV2 migrated = StateSerializer.Deserialize<LegacyV2>(Bytes(in old));
        Assert.Equal(3, migrated.Count);
        Assert.Equal(12.34m, migrated.Amount);
        Assert.Equal(5, migrated.NoteLength);

        // Current state does not contain the retired fields: migrations do not run, values round-trip.
        var current = new LegacyV2 { Count = 1, Amount = 2.5m, NoteLength = 8 };
        LegacyV2 copy = StateSerializer.Deserialize<LegacyV2>(Bytes(in current));
        Assert.Equal(2.5m, copy.Amount);
        Assert.Equal(8, copy.NoteLength);
        Assert.Equal(2, VersionOf<LegacyV2>());
        Assert.Equal(
            "state Kappa.Runtime.Tests.State.LegacyV2\n1 Count long\n4 Amount decimal\n5 NoteLength int\nretired 2 Amount long\nretired 3 Note string\n",
            StateSchemaOf<LegacyV2>());
    }

    [Fact]
    public void Every_truncation_of_a_value_is_a_state_format_error()
    {
        byte[] bytes = Bytes(StateSamples.Rich());
        for (int length = 0; length < bytes.Length; length++)
        {
            var ex = Assert.Throws<StateFormatException>(() => StateSerializer.Deserialize<Everything>(bytes.AsSpan(0, length)));
            Assert.True(ex.Offset >= 0 && ex.Offset <= length, $"offset {ex.Offset} for length {length}");
            Assert.NotNull(ex.TypeName);
            Assert.Contains("Invalid state", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Errors_name_the_type_field_and_offset()
    {
        var totals = new Totals { Revenue = 1m, Orders = 1 };
        byte[] bytes = Bytes(in totals);
        var ex = Assert.Throws<StateFormatException>(() => StateSerializer.Deserialize<Totals>(bytes.AsSpan(0, 10)));
        Assert.Equal("Kappa.Runtime.Tests.State.Totals", ex.TypeName);
        Assert.Equal("Revenue", ex.FieldName);
        Assert.Equal(7, ex.Offset);
        Assert.Contains("field 'Revenue'", ex.Message, StringComparison.Ordinal);

        // Nested state: the innermost type and field are named.
        var outer = new Everything { Child = new Inner { Name = "abcdef" } };
        byte[] rich = Bytes(in outer);
        int at = Array.IndexOf(rich, (byte)'f');
        var nested = Assert.Throws<StateFormatException>(() => StateSerializer.Deserialize<Everything>(rich.AsSpan(0, at)));
        Assert.Equal("Kappa.Runtime.Tests.State.Inner", nested.TypeName);
        Assert.Equal("Name", nested.FieldName);
    }

    [Theory]
    [InlineData("trailing byte")]
    [InlineData("format version")]
    [InlineData("bool byte")]
    [InlineData("non-canonical varint")]
    [InlineData("wire type")]
    [InlineData("decimal scale")]
    public void Corrupt_values_are_rejected(string corruption)
    {
        var value = new Everything { Flag = true };
        byte[] bytes = Bytes(in value);
        byte[] bad;
        switch (corruption)
        {
            case "trailing byte":
                bad = [.. bytes, 0];
                break;
            case "format version":
                bad = [.. bytes];
                bad[0] = 2;
                break;
            case "bool byte":
                bad = [.. bytes];
                Assert.Equal(0x08, bad[6]); // field 1, varint
                bad[7] = 2;
                break;
            case "non-canonical varint":
                bad = [.. bytes[..7], 0x81, 0x00, .. bytes[8..]];
                break;
            case "wire type":
                bad = [.. bytes];
                bad[6] = 0x09; // field 1 as fixed64
                break;
            default:
                var totals = new Totals { Revenue = 1m };
                bad = Bytes(in totals);
                bad[7 + 12] = 29;
                Assert.Throws<StateFormatException>(() => StateSerializer.Deserialize<Totals>(bad));
                return;
        }

        Assert.Throws<StateFormatException>(() => StateSerializer.Deserialize<Everything>(bad));
    }

    [Fact]
    public void Any_single_byte_corruption_either_decodes_or_is_a_state_format_error()
    {
        byte[] bytes = Bytes(StateSamples.Rich());
        byte[] replacements = [0x00, 0x01, 0x07, 0x7F, 0x80, 0xFF];
        int decoded = 0;
        int rejected = 0;
        for (int i = 0; i < bytes.Length; i++)
        {
            foreach (byte replacement in replacements)
            {
                if (bytes[i] == replacement)
                {
                    continue;
                }

                byte[] bad = [.. bytes];
                bad[i] = replacement;
                try
                {
                    StateSerializer.Deserialize<Everything>(bad);
                    decoded++;
                }
                catch (StateFormatException)
                {
                    rejected++;
                }
            }
        }

        // Any other exception type would have failed the test. Both outcomes occur: a changed byte inside a number or
        // string is often still valid state (the snapshot and changelog checksums catch those), a changed tag,
        // length, count or header byte is not.
        Assert.True(rejected > 500, $"rejected {rejected}");
        Assert.True(decoded > 0, $"decoded {decoded}");
    }

    [Fact]
    public void Non_normalized_decimals_are_rejected()
    {
        var totals = new Totals { Revenue = 1m };
        byte[] bytes = Bytes(in totals);
        byte[] scaled = [.. bytes];
        scaled[7] = 10; // coefficient 10 ...
        scaled[7 + 12] = 1; // ... with scale 1: the same value as 1 in a second encoding
        Assert.Contains("not normalized", Assert.Throws<StateFormatException>(() => StateSerializer.Deserialize<Totals>(scaled)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unsorted_or_duplicate_dictionary_keys_are_rejected()
    {
        var value = new Everything { Totals = new() { ["a"] = 1, ["b"] = 2 } };
        byte[] bytes = Bytes(in value);
        int a = IndexOf(bytes, [0x01, (byte)'a']);
        int b = IndexOf(bytes, [0x01, (byte)'b']);
        bytes[a + 1] = (byte)'b';
        Assert.Throws<StateFormatException>(() => StateSerializer.Deserialize<Everything>(bytes));
        bytes[b + 1] = (byte)'a';
        var ex = Assert.Throws<StateFormatException>(() => StateSerializer.Deserialize<Everything>(bytes));
        Assert.Contains("ordinal order", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Huge_sequence_counts_in_corrupt_input_do_not_allocate()
    {
        var value = new Everything { Numbers = [1] };
        byte[] bytes = Bytes(in value);
        int tag = IndexOf(bytes, [(26 << 3 | 6) & 0x7F | 0x80, (26 << 3 | 6) >> 7]);
        byte[] bad = [.. bytes[..(tag + 2)], 0xFF, 0xFF, 0xFF, 0xFF, 0x07, .. bytes[(tag + 3)..]];
        var ex = Assert.Throws<StateFormatException>(() => StateSerializer.Deserialize<Everything>(bad));
        Assert.Equal("Numbers", ex.FieldName);
    }

    [Fact]
    public void Strings_with_unpaired_surrogates_are_refused_on_write()
    {
        var value = new Inner { Name = "a\ud800b" };
        var ex = Assert.Throws<ArgumentException>(() => Bytes(in value));
        Assert.Contains("surrogate", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Writer_works_across_many_small_buffer_segments()
    {
        Everything value = StateSamples.Rich();
        var small = new SmallSegmentWriter();
        StateSerializer.Serialize(in value, small);
        Assert.Equal(Bytes(in value), small.ToArray());
    }

    private static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);

    private static string StateSchemaOf<T>()
        where T : IProcessorState<T> => T.StateSchema;

    private static int VersionOf<T>()
        where T : IProcessorState<T> => T.StateSchemaVersion;

    /// <summary>An IBufferWriter that hands out exactly the requested size, to exercise segment boundaries.</summary>
    private sealed class SmallSegmentWriter : IBufferWriter<byte>
    {
        private readonly List<byte> _written = [];
        private byte[] _current = [];

        public void Advance(int count) => _written.AddRange(_current.AsSpan(0, count).ToArray());

        public Memory<byte> GetMemory(int sizeHint = 0) => _current = new byte[Math.Max(sizeHint, 1)];

        public Span<byte> GetSpan(int sizeHint = 0) => _current = new byte[Math.Max(sizeHint, 1)];

        public byte[] ToArray() => [.. _written];
    }
}
