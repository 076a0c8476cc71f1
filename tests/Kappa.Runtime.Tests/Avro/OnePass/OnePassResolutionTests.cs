using System.Text;
using Kappa.Avro;
using Kappa.Avro.Schemas;
using Kappa.Runtime.Tests.Processing;
using Account = Kappa.Runtime.Tests.Avro.Types.Account;
using Place = Kappa.Runtime.Tests.Avro.Types.Place;
using ResolutionCase = Kappa.Runtime.Tests.Avro.Resolution.ResolutionCase;
using Tier = Kappa.Runtime.Tests.Avro.Types.Tier;

namespace Kappa.Runtime.Tests.Avro.OnePass;

/// <summary>
/// The run-time plan reads each kind in one pass, straight from the writer's bytes (the generated
/// <c>ReadAvroResolving</c> following an <see cref="AvroReadPlan"/>). Every case checks the values it expects and also
/// that the decoded value encodes to the same bytes as the resolver's steps rewriting the writer's bytes into the
/// reader's encoding (an independent path through the same resolution rules).
/// </summary>
public sealed class OnePassResolutionTests
{
    [Fact]
    public void Every_promotion_is_read_in_one_pass_at_the_top_and_inside_arrays_maps_unions_and_logical_types()
    {
        const string writer = """
            {"type":"record","name":"OnePassNumbers","namespace":"kappa.onepass","fields":[
              {"name":"MaybeLongs","type":{"type":"array","items":["int","null"]}},
              {"name":"FromInt","type":"int"},{"name":"FloatFromLong","type":"long"},{"name":"DoubleFromInt","type":"int"},
              {"name":"DoubleFromLong","type":"long"},{"name":"DoubleFromFloat","type":"float"},
              {"name":"BytesFromString","type":"string"},{"name":"StringFromBytes","type":"bytes"},
              {"name":"Doubles","type":{"type":"array","items":"int"}},{"name":"Longs","type":{"type":"map","values":"int"}},
              {"name":"At","type":"int"},{"name":"Closes","type":"int"}]}
            """;
        const string datum = """
            {"MaybeLongs":[5,null,-4],"FromInt":-5,"FloatFromLong":9007199254740993,"DoubleFromInt":-2147483648,
             "DoubleFromLong":9007199254740993,"DoubleFromFloat":1.1,"BytesFromString":"h\u00e9llo","StringFromBytes":"abc",
             "Doubles":[1,-2,2147483647],"Longs":{"a":-1,"b":7},"At":1000,"Closes":5000000}
            """;

        OnePassNumbers value = DecodeInOnePass<OnePassNumbers>(writer, datum);

        Assert.Equal(-5L, value.FromInt);
        Assert.Equal((float)9007199254740993L, value.FloatFromLong);
        Assert.Equal(-2147483648d, value.DoubleFromInt);
        Assert.Equal((double)9007199254740993L, value.DoubleFromLong);
        Assert.Equal((double)1.1f, value.DoubleFromFloat);
        Assert.Equal(Encoding.UTF8.GetBytes("h\u00e9llo"), value.BytesFromString);
        Assert.Equal("abc", value.StringFromBytes);
        Assert.Equal([1d, -2d, 2147483647d], value.Doubles);
        Assert.Equal(new Dictionary<string, long> { ["a"] = -1, ["b"] = 7 }, value.Longs);
        Assert.Equal(DateTimeOffset.UnixEpoch.AddMilliseconds(1000), value.At);
        Assert.Equal(new TimeOnly(0, 0, 5), value.Closes);
        Assert.Equal([5L, null, -4L], value.MaybeLongs);
    }

    [Fact]
    public void Enums_unions_on_either_side_fixed_logical_types_and_writer_only_fields_are_read_in_one_pass()
    {
        const string writer = """
            {"type":"record","name":"OnePassMixed","namespace":"kappa.onepass","fields":[
              {"name":"Dropped","type":{"type":"record","name":"Gone","fields":[
                {"name":"a","type":{"type":"array","items":{"type":"map","values":"string"}}},
                {"name":"b","type":["null",{"type":"fixed","name":"F3","size":3}]}]}},
              {"name":"Count","type":["null","int"]},
              {"name":"Color","type":{"type":"enum","name":"OnePassColor","namespace":"Kappa.Runtime.Tests.Avro.OnePass","symbols":["Blue","Purple","Red","Green"]}},
              {"name":"Shape","type":[
                {"type":"record","name":"OnePassSquare","namespace":"kappa.onepass","fields":[{"name":"Side","type":"int"}]},
                {"type":"record","name":"OnePassCircle","namespace":"kappa.onepass","fields":[{"name":"Radius","type":"int"}]}]},
              {"name":"MaybeShape","type":"kappa.onepass.OnePassCircle"},
              {"name":"Either","type":["string","int","null"]},
              {"name":"Note","type":"string"},
              {"name":"Id","type":{"type":"fixed","name":"Id","namespace":"kappa.onepass","size":16,"logicalType":"uuid"}},
              {"name":"Tag","type":{"type":"fixed","name":"Tag","namespace":"kappa.onepass","size":4}},
              {"name":"Window","type":{"type":"fixed","name":"Window","namespace":"kappa.onepass","size":12,"logicalType":"duration"}},
              {"name":"Price","type":{"type":"bytes","logicalType":"decimal","precision":9,"scale":2}},
              {"name":"Day","type":{"type":"int","logicalType":"date"}},
              {"name":"Opens","type":{"type":"int","logicalType":"time-millis"}},
              {"name":"ByName","type":{"type":"map","values":["kappa.onepass.OnePassSquare","kappa.onepass.OnePassCircle"]}},
              {"name":"Trailer","type":{"type":"enum","name":"Mood","symbols":["Up","Down"]}}]}
            """;
        const string datum = """
            {"Dropped":{"a":[{"k":"v"},{}],"b":"xyz"},"Count":3,"Color":"Green","Shape":{"Side":4},"MaybeShape":{"Radius":-2},
             "Either":7,"Note":"hi","Id":"0123456789abcdef","Tag":"ab\u00ffd",
             "Window":"\u0001\u0000\u0000\u0000\u0002\u0000\u0000\u0000\u0003\u0000\u0000\u0000","Price":"09","Day":19000,
             "Opens":3600000,"ByName":{"x":{"Side":1},"y":{"Side":2}},"Trailer":"Down"}
            """;

        OnePassMixed value = DecodeInOnePass<OnePassMixed>(writer, datum);

        Assert.Equal(OnePassColor.Green, value.Color);
        Assert.Equal(new OnePassSquare(4, "sq"), value.Shape);
        Assert.Equal(new OnePassCircle(-2), value.MaybeShape);
        Assert.Equal(AvroUnion<long, string>.FromItem1(7), value.Either);
        Assert.Equal("hi", value.Note);
        Assert.Equal(3, value.Count);
        Assert.Equal([97, 98, 255, 100], value.Tag);
        Assert.Equal(new AvroDuration(1, 2, 3), value.Window);
        Assert.Equal(123.45m, value.Price);
        Assert.Equal(DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + 19000), value.Day);
        Assert.Equal(new TimeOnly(1, 0), value.Opens);
        Assert.Equal(new Dictionary<string, OnePassShape> { ["x"] = new OnePassSquare(1, "sq"), ["y"] = new OnePassSquare(2, "sq") }, value.ByName);
    }

    [Fact]
    public void Recursive_records_with_reordered_writer_only_and_reader_only_fields_are_read_in_one_pass()
    {
        const string writer = """
            {"type":"record","name":"OnePassNode","namespace":"kappa.onepass","fields":[
              {"name":"Weight","type":"double"},{"name":"Value","type":"int"},
              {"name":"Children","type":{"type":"array","items":"OnePassNode"}},{"name":"Next","type":["null","OnePassNode"]}]}
            """;
        const string datum = """
            {"Weight":1.5,"Value":1,"Children":[{"Weight":0,"Value":2,"Children":[],"Next":null}],
             "Next":{"Weight":2,"Value":3,"Children":[],"Next":{"Weight":3,"Value":4,"Children":[],"Next":null}}}
            """;

        OnePassNode value = DecodeInOnePass<OnePassNode>(writer, datum);

        Assert.Equal((1, "node"), (value.Value, value.Label));
        Assert.Equal((2, "node", 0), (value.Children.Single().Value, value.Children.Single().Label, value.Children.Single().Children.Count));
        Assert.Equal(3, value.Next!.Value);
        Assert.Equal(4, value.Next.Next!.Value);
        Assert.Null(value.Next.Next.Next);
    }

    [Fact]
    public void Reader_only_fields_of_every_type_take_their_defaults_and_writer_only_fields_of_every_type_are_skipped()
    {
        const string writer = """
            {"type":"record","name":"AccountSettings","namespace":"kappa.legacy","fields":[
              {"name":"Id","type":"long"},{"name":"x1","type":"boolean"},{"name":"name","type":"string"},
              {"name":"x2","type":{"type":"array","items":{"type":"record","name":"Junk","fields":[{"name":"j","type":["null","float"]}]}}},
              {"name":"x3","type":{"type":"map","values":"bytes"}},{"name":"x4","type":"null"},
              {"name":"x5","type":{"type":"enum","name":"E","symbols":["A","B"]}},{"name":"x6","type":"double"},
              {"name":"x7","type":{"type":"fixed","name":"F2","size":2}},{"name":"x8","type":["null","long","string"]}]}
            """;
        const string datum = """
            {"Id":9,"x1":true,"name":"Ada","x2":[{"j":1.5},{"j":null}],"x3":{"k":"\u0001"},"x4":null,"x5":"B","x6":2.5,
             "x7":"zz","x8":"tail"}
            """;

        Account value = DecodeInOnePass<Account>(writer, datum);

        Assert.Equal((9L, "Ada"), (value.Id, value.DisplayName));
        Assert.Equal((3, -9000000000L, 0.25f, 1048576.5, true, "de-DE \u00fc"), (value.Retries, value.Budget, value.Ratio, value.Limit, value.Active, value.Locale));
        Assert.Equal((Tier.Gold, (string?)null, "web", (int?)42, -1.5m), (value.Tier, value.Note, value.Channel, value.Age, value.Credit));
        Assert.Equal([0, 255], value.Salt);
        Assert.Equal([1, (byte)'2'], value.Pepper);
        Assert.Equal([1, 2, 3], value.Counts);
        Assert.Equal(new Dictionary<string, double> { ["a"] = 1.5, ["b"] = -2 }, value.Weights);
        Assert.Equal(new Place("Main", "Berlin"), value.Home);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1700000000000), value.Since);
        Assert.Equal(DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + 19000), value.Day);
        Assert.Equal(Guid.Parse("00000000-0000-0000-0000-000000000001"), value.Token);
        Assert.Equal(123.456m, value.Fee);
    }

    [Fact]
    public void Defaults_are_decoded_per_record_so_no_value_is_shared_between_records()
    {
        const string writer = """{"type":"record","name":"Account","namespace":"kappa.types","fields":[{"name":"Id","type":"long"},{"name":"DisplayName","type":"string"}]}""";
        AvroResolution<Account> resolution = AvroResolution<Account>.For(writer);
        byte[] data = ResolutionCase.Encode(writer, """{"Id":1,"DisplayName":"a"}""");

        Account first = resolution.Decode(data);
        Account second = resolution.Decode(data);

        Assert.True(resolution.UsesRuntimePlan);
        Assert.Equal(first.Counts, second.Counts);
        Assert.NotSame(first.Counts, second.Counts);
        Assert.NotSame(first.Salt, second.Salt);
        Assert.NotSame(first.Home, second.Home);
    }

    [Fact]
    public void A_writer_union_branch_the_reader_cannot_read_fails_when_it_occurs_at_its_offset_in_the_writer_bytes()
    {
        byte[] data = ResolutionCase.Encode(StrictWriter, """{"Skip":"abc","Count":null,"Color":"Red","Name":"x"}""");

        AvroDecodeException e = Assert.Throws<AvroDecodeException>(() => StrictResolution().Decode(data));

        Assert.Equal(("Count", 4), (e.FieldName, e.Offset));
        Assert.Contains("null", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_writer_enum_symbol_the_reader_lacks_fails_at_its_offset_in_the_writer_bytes()
    {
        byte[] data = ResolutionCase.Encode(StrictWriter, """{"Skip":"abc","Count":1,"Color":"Purple","Name":"x"}""");

        AvroDecodeException e = Assert.Throws<AvroDecodeException>(() => StrictResolution().Decode(data));

        Assert.Equal(("Color", 6), (e.FieldName, e.Offset));
        Assert.Contains("'Purple'", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_utf8_after_skipped_and_resolved_fields_fails_at_its_offset_in_the_writer_bytes()
    {
        byte[] data = [0x06, (byte)'a', (byte)'b', (byte)'c', 0x02, 0x02, 0x00, 0x04, 0xC3, 0x28]; // Name at byte 7

        AvroDecodeException e = Assert.Throws<AvroDecodeException>(() => StrictResolution().Decode(data));

        Assert.Equal(("Name", 7, "string is not valid UTF-8"), (e.FieldName, e.Offset, e.Reason));
    }

    [Fact]
    public void Trailing_bytes_after_a_resolved_value_fail()
    {
        byte[] data = [.. ResolutionCase.Encode(StrictWriter, """{"Skip":"","Count":1,"Color":"Red","Name":"x"}"""), 0x00];

        Assert.Throws<AvroDecodeException>(() => StrictResolution().Decode(data));
    }

    [Fact]
    public void An_enum_plan_maps_writer_symbols_by_name_and_unknown_ones_to_the_reader_enum_default()
    {
        const string writer = """{"type":"record","name":"R","fields":[{"name":"e","type":{"type":"enum","name":"E","symbols":["A","X","B"]}}]}""";
        const string reader = """{"type":"record","name":"R","fields":[{"name":"e","type":{"type":"enum","name":"E","symbols":["B","A","U"],"default":"U"}}]}""";
        AvroReadPlan plan = AvroReadPlanCompiler.Compile(AvroResolver.Build(AvroSchemaParser.Parse(writer), AvroSchemaParser.Parse(reader))!);
        AvroReadPlan symbol = plan.Fields[0].Plan;

        Assert.Equal([1, 2, 0], new[] { 0, 1, 2 }.Select(i => ReadEnum(symbol, (byte)(i * 2))).ToArray());
    }

    [Fact]
    public void A_hand_written_record_type_is_read_through_the_rewriting_fallback()
    {
        const string writer = """
            {"type":"record","name":"Order","fields":[{"name":"id","type":"string"},{"name":"extra","type":"int"},
              {"name":"amount","type":"int"},{"name":"region","type":"string"}]}
            """;
        byte[] data = ResolutionCase.Encode(writer, """{"id":"o-1","extra":5,"amount":-7,"region":"eu"}""");
        AvroResolution<Order> resolution = AvroResolution<Order>.For(writer);

        Order value = resolution.Decode(data);

        Assert.True(resolution.UsesRuntimePlan);
        Assert.Equal(("o-1", -7L, "eu"), (value.Id, value.Amount, value.Region));
    }

    [Fact]
    public void A_writer_schema_with_the_readers_encoding_under_another_namespace_is_read_by_the_types_own_decoder()
    {
        const string writer = """{"type":"record","name":"Place","namespace":"kappa.other","fields":[{"name":"Street","type":"string"},{"name":"City","type":"string"}]}""";
        AvroResolution<Place> resolution = AvroResolution<Place>.For(writer);

        Place value = resolution.Decode(ResolutionCase.Encode(writer, """{"Street":"s","City":"c"}"""));

        Assert.False(resolution.IsIdentity);
        Assert.False(resolution.UsesRuntimePlan);
        Assert.Equal(new Place("s", "c"), value);
    }

    private const string StrictWriter = """
        {"type":"record","name":"OnePassStrict","namespace":"kappa.onepass","fields":[
          {"name":"Skip","type":"string"},{"name":"Count","type":["null","int"]},
          {"name":"Color","type":{"type":"enum","name":"OnePassColor","namespace":"Kappa.Runtime.Tests.Avro.OnePass","symbols":["Red","Purple"]}},
          {"name":"Name","type":"string"}]}
        """;

    private static AvroResolution<OnePassStrict> StrictResolution() => AvroResolution<OnePassStrict>.For(StrictWriter);

    private static int ReadEnum(AvroReadPlan plan, byte zigzag)
    {
        var reader = new AvroReader(new[] { zigzag }, "R");
        return plan.ReadEnumIndex(ref reader);
    }

    /// <summary>
    /// Decodes <paramref name="datumJson"/> written with <paramref name="writerJson"/> through the run-time plan (never a
    /// generated resolving decoder), checks the plan is not a plain same-encoding read, and that the value encodes to the
    /// bytes the resolver's steps rewrite the writer's bytes into.
    /// </summary>
    private static T DecodeInOnePass<T>(string writerJson, string datumJson)
        where T : IAvroRecord<T>
    {
        AvroResolution<T> resolution = AvroResolution<T>.WithRuntimePlan(AvroSchemaParser.Parse(writerJson));
        Assert.True(resolution.UsesRuntimePlan);
        byte[] data = ResolutionCase.Encode(writerJson, datumJson);

        T value = resolution.Decode(data);

        byte[] rewritten = ResolutionCase.Resolve(writerJson, T.AvroSchemaJson, data);
        Assert.Equal(Convert.ToHexString(rewritten), Convert.ToHexString(AvroSerializer.SerializeToArray(value)));
        return value;
    }
}
