using Kappa.Generators.Avro;
using Kappa.Generators.Avro.History;
using Kappa.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Testing;

namespace Kappa.Generators.Tests.Avro;

/// <summary>
/// kappa-avro-history.json: the build-time compatibility check (KAPPA012), the file's validation (KAPPA013), the
/// "schema not recorded" info (KAPPA014) and the generated updated file content that records new schemas.
/// </summary>
public class AvroHistoryTests
{
    private const string HistoryPath = "/project/kappa-avro-history.json";
    private const string Empty = "{ \"version\": 1, \"records\": [] }";
    private const string Usings = "using System; using System.Collections.Generic; using Kappa; using Kappa.Avro.Schemas;\nnamespace Shop;\n";

    private static GeneratorRunner.Result Run(string? history, string source) =>
        GeneratorRunner.Run(
            [new AvroRecordGenerator()],
            history is null ? [] : [new InMemoryAdditionalText(HistoryPath, history)],
            Usings + source);

    private static string UpdatedHistory(GeneratorRunner.Result result)
    {
        SyntaxNode root = CSharpSyntaxTree.ParseText(result.Source(AvroRecordGenerator.HistoryHintName)).GetRoot();
        return root.DescendantNodes().OfType<LiteralExpressionSyntax>().Single().Token.ValueText;
    }

    /// <summary>The history after recording each source's schema in turn (as a team does with KAPPA_UPDATE_AVRO_HISTORY=1).</summary>
    private static string Recorded(params string[] sources)
    {
        string history = Empty;
        foreach (string source in sources)
        {
            var result = Run(history, source);
            Assert.DoesNotContain(result.GeneratorDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
            history = UpdatedHistory(result);
        }

        return history;
    }

    private static string Message(Diagnostic d) => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture);

    private static KappaGeneratorTest<AvroRecordGenerator> Harness(string history, string source, params DiagnosticResult[] expected)
    {
        var test = new KappaGeneratorTest<AvroRecordGenerator>
        {
            TestCode = Usings + source,
            TestState = { AdditionalFiles = { (HistoryPath, history) } },
            TestBehaviors = TestBehaviors.SkipGeneratedSourcesCheck,
        };
        test.ExpectedDiagnostics.AddRange(expected);
        return test;
    }

    private const string V1 = "[AvroRecord] public partial record Order(int Id, string Sku);";

    [Fact]
    public void Without_a_history_file_nothing_changes()
    {
        var result = Run(null, V1);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.DoesNotContain(result.GeneratedSources, s => s.HintName == AvroRecordGenerator.HistoryHintName);
    }

    [Fact]
    public void A_new_schema_is_reported_and_recorded_in_the_updated_file_and_accepting_it_silences_the_info()
    {
        var first = Run(Empty, V1);
        Diagnostic info = Assert.Single(first.GeneratorDiagnostics);
        Assert.Equal("KAPPA014", info.Id);
        Assert.Equal(DiagnosticSeverity.Info, info.Severity);
        Assert.Contains("'Shop.Order' is not recorded in kappa-avro-history.json; it would be recorded as version 1", Message(info), StringComparison.Ordinal);
        GeneratorRunner.AssertCompilesCleanly(first);

        string history = UpdatedHistory(first);
        Assert.Equal(
            "{\n  \"version\": 1,\n  \"records\": [\n    {\n      \"type\": \"Shop.Order\",\n      \"schemas\": [\n        {\n" +
            "          \"version\": 1,\n          \"fingerprint\": \"" + AvroHistoryFile.FormatFingerprint(FingerprintOf(first)) + "\",\n" +
            "          \"schema\": {\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"Shop\",\"fields\":[\n" +
            "            {\"name\":\"Id\",\"type\":\"int\"},\n" +
            "            {\"name\":\"Sku\",\"type\":\"string\"}\n" +
            "          ]}\n        }\n      ]\n    }\n  ]\n}\n",
            history);

        var second = Run(history, V1);
        Assert.Empty(second.GeneratorDiagnostics);
        Assert.Equal(history, UpdatedHistory(second));
    }

    private static long FingerprintOf(GeneratorRunner.Result result)
    {
        string codec = result.Source("Shop.Order.Avro.g.cs");
        int at = codec.IndexOf("AvroFingerprint => ", StringComparison.Ordinal) + "AvroFingerprint => ".Length;
        return long.Parse(codec[at..codec.IndexOf('L', at)], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public void Adding_a_field_with_a_default_is_compatible_and_is_appended_as_version_2()
    {
        string history = Recorded(V1);
        const string v2 = "[AvroRecord] public partial record Order(int Id, string Sku, string? Note);";
        var result = Run(history, v2);
        Diagnostic info = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal("KAPPA014", info.Id);
        Assert.Contains("version 2", Message(info), StringComparison.Ordinal);

        var parsed = AvroHistoryFile.Parse("x", UpdatedHistory(result));
        Assert.Null(parsed.Error);
        var versions = Assert.Single(parsed.Types).Versions;
        Assert.Equal([1, 2], versions.Select(v => v.Version).ToArray());
        Assert.Contains("{\"name\":\"Note\",\"type\":[\"null\",\"string\"],\"default\":null}", versions[1].SchemaJson, StringComparison.Ordinal);
        Assert.Equal(AvroHistoryFile.Parse("y", history).Types[0].Versions[0], versions[0]);
    }

    [Fact]
    public Task KAPPA012_a_new_field_without_a_default_is_a_build_error_at_the_type() =>
        Harness(
            Recorded(V1),
            "[AvroRecord] public partial record {|#0:Order|}(int Id, string Sku, int Quantity);",
            new DiagnosticResult("KAPPA012", DiagnosticSeverity.Error).WithLocation(0),
            new DiagnosticResult("KAPPA014", DiagnosticSeverity.Info).WithLocation(0)).RunAsync();

    [Fact]
    public void KAPPA012_names_the_version_the_field_and_the_reason()
    {
        string history = Recorded(V1);
        var result = Run(history, "[AvroRecord] public partial record Order(int Id, string Sku, int Quantity);");
        string message = Message(result.GeneratorDiagnostics.Single(d => d.Id == "KAPPA012"));
        Assert.StartsWith("'Shop.Order' is not BACKWARD_TRANSITIVE compatible with version 1 of its schema history (fingerprint ", message, StringComparison.Ordinal);
        Assert.Contains(
            "the new schema cannot read data written with it; field 'Quantity': reader field 'Quantity' is not in the writer's Shop.Order and has no default",
            message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void KAPPA012_a_retyped_nested_field_is_named_by_its_path()
    {
        const string line = "[AvroRecord] public partial record Line(string Sku, int Quantity);";
        string history = Recorded(line + V1.Replace("string Sku", "List<Line> Lines", StringComparison.Ordinal));
        var result = Run(history, line.Replace("int Quantity", "string Quantity", StringComparison.Ordinal) + V1.Replace("string Sku", "List<Line> Lines", StringComparison.Ordinal));
        var errors = result.GeneratorDiagnostics.Where(d => d.Id == "KAPPA012").Select(Message).ToList();

        // Line's own history and Order's (which embeds Line) both break.
        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, m => m.StartsWith("'Shop.Order' ", StringComparison.Ordinal)
            && m.Contains("field 'Lines[].Quantity': reader type string cannot read writer type int", StringComparison.Ordinal));
        Assert.Contains(errors, m => m.StartsWith("'Shop.Line' ", StringComparison.Ordinal)
            && m.Contains("field 'Quantity': reader type string cannot read writer type int", StringComparison.Ordinal));
    }

    [Fact]
    public void KAPPA012_moving_a_uuid_or_bytes_to_fixed_breaks_the_history()
    {
        // docs/avro.md: logical types resolve by their underlying types, and string/bytes do not resolve to fixed.
        string history = Recorded("[AvroRecord] public partial record Order(Guid Id, byte[] Hash);");
        var result = Run(history, "[AvroRecord] public partial record Order([AvroFixed] Guid Id, [AvroFixed(4)] byte[] Hash);");
        string message = Message(result.GeneratorDiagnostics.Single(d => d.Id == "KAPPA012"));
        Assert.Contains("field 'Id'", message, StringComparison.Ordinal);
        Assert.Contains("field 'Hash'", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Promotions_are_compatible()
    {
        string history = Recorded("[AvroRecord] public partial record Order(int Id, float Price);");
        var result = Run(history, "[AvroRecord] public partial record Order(long Id, double Price);");
        Assert.Equal(["KAPPA014"], result.GeneratorDiagnostics.Select(d => d.Id).ToArray());
    }

    [Fact]
    public void Transitive_mode_checks_every_version_and_the_plain_mode_only_the_latest()
    {
        // v1 has Code as a string; v2 drops it (compatible); v3 brings it back as an int?: readable from v2, not from v1.
        string history = Recorded(
            "[AvroRecord] public partial record Order(int Id, string Code);",
            "[AvroRecord] public partial record Order(int Id);");
        const string v3 = "public partial record Order(int Id, int? Code);";

        var transitive = Run(history, "[AvroRecord] " + v3);
        string message = Message(transitive.GeneratorDiagnostics.Single(d => d.Id == "KAPPA012"));
        Assert.Contains("BACKWARD_TRANSITIVE compatible with version 1 ", message, StringComparison.Ordinal);
        Assert.Contains("field 'Code'", message, StringComparison.Ordinal);

        var latestOnly = Run(history, "[AvroRecord(Compatibility = AvroCompatibilityMode.Backward)] " + v3);
        Assert.Equal(["KAPPA014"], latestOnly.GeneratorDiagnostics.Select(d => d.Id).ToArray());
        var parsed = AvroHistoryFile.Parse("x", UpdatedHistory(latestOnly));
        Assert.Equal(3, parsed.Types.Single().Versions.Count);
    }

    [Fact]
    public void Forward_mode_rejects_removing_a_field_old_readers_need_and_none_accepts_anything()
    {
        string history = Recorded("[AvroRecord] public partial record Order(int Id, string Sku);");
        const string removed = "public partial record Order(int Id);";

        // The default mode allows it: the new reader simply ignores Sku in old data.
        Assert.Equal(["KAPPA014"], Run(history, "[AvroRecord] " + removed).GeneratorDiagnostics.Select(d => d.Id).ToArray());

        var forward = Run(history, "[AvroRecord(Compatibility = AvroCompatibilityMode.ForwardTransitive)] " + removed);
        string message = Message(forward.GeneratorDiagnostics.Single(d => d.Id == "KAPPA012"));
        Assert.Contains("FORWARD_TRANSITIVE compatible with version 1", message, StringComparison.Ordinal);
        Assert.Contains("readers with it cannot read data written with the new schema; field 'Sku': reader field 'Sku' is not in the writer's Shop.Order and has no default", message, StringComparison.Ordinal);

        var none = Run(history, "[AvroRecord(Compatibility = AvroCompatibilityMode.None)] public partial record Order(string Id);");
        Assert.Equal(["KAPPA014"], none.GeneratorDiagnostics.Select(d => d.Id).ToArray());
    }

    [Fact]
    public void Recording_an_incompatible_schema_does_not_silence_the_error()
    {
        string history = Recorded(V1);
        const string broken = "[AvroRecord] public partial record Order(int Id, string Sku, int Quantity);";
        string withBroken = UpdatedHistory(Run(history, broken));
        var again = Run(withBroken, broken);
        Assert.Equal(["KAPPA012"], again.GeneratorDiagnostics.Select(d => d.Id).ToArray());
    }

    [Fact]
    public void Entries_of_types_that_no_longer_exist_are_kept()
    {
        string history = Recorded("[AvroRecord] public partial record Gone(int Id);");
        var result = Run(history, V1);
        var parsed = AvroHistoryFile.Parse("x", UpdatedHistory(result));
        Assert.Equal(["Shop.Gone", "Shop.Order"], parsed.Types.Select(t => t.Type).ToArray());
    }

    [Theory]
    [InlineData("{ \"version\": 1, \"records\": [", "not valid JSON")]
    [InlineData("{ \"version\": 2, \"records\": [] }", "history file format version 2 is not supported (expected 1)")]
    [InlineData("{ \"version\": 1 }", "'records' is missing in the document")]
    [InlineData("{ \"version\": 1, \"records\": [ { \"type\": \"Shop.Order\", \"schemas\": [] } ] }", "type 'Shop.Order' has no schemas")]
    [InlineData("{ \"version\": 1, \"records\": [ { \"type\": \"Shop.Order\", \"schemas\": [ { \"version\": 2, \"fingerprint\": \"0\", \"schema\": \"int\" } ] } ] }", "Shop.Order: schema versions must be numbered 1, 2, 3, ... in order; found 2 where 1 belongs")]
    [InlineData("{ \"version\": 1, \"records\": [ { \"type\": \"Shop.Order\", \"schemas\": [ { \"version\": 1, \"fingerprint\": \"0\", \"schema\": {\"type\":\"record\",\"name\":\"Order\"} } ] } ] }", "Shop.Order version 1: the schema is not a valid Avro schema")]
    [InlineData("{ \"version\": 1, \"records\": [ { \"type\": \"Shop.Order\", \"schemas\": [ { \"version\": 1, \"fingerprint\": \"0000000000000000\", \"schema\": \"int\" } ] } ] }", "Shop.Order version 1: the fingerprint \"0000000000000000\" does not match the schema (its CRC-64-AVRO is \"")]
    public void KAPPA013_an_invalid_history_file_is_a_build_error_that_says_why(string json, string reason)
    {
        var result = Run(json, V1);
        Diagnostic error = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal("KAPPA013", error.Id);
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.Contains(reason, Message(error), StringComparison.Ordinal);
        Assert.StartsWith($"The Avro schema history '{HistoryPath}' cannot be used: ", Message(error), StringComparison.Ordinal);
        Assert.DoesNotContain(result.GeneratedSources, s => s.HintName == AvroRecordGenerator.HistoryHintName);
    }

    [Fact]
    public Task KAPPA013_on_the_standard_harness() =>
        Harness("{ \"version\": 1 }", V1, new DiagnosticResult("KAPPA013", DiagnosticSeverity.Error)).RunAsync();

    [Fact]
    public void An_edited_schema_is_caught_by_its_fingerprint()
    {
        string history = Recorded(V1).Replace("{\"name\":\"Sku\",\"type\":\"string\"}", "{\"name\":\"Sku\",\"type\":\"bytes\"}", StringComparison.Ordinal);
        var result = Run(history, V1);
        Assert.Contains("recorded schemas must never be edited", Message(Assert.Single(result.GeneratorDiagnostics)), StringComparison.Ordinal);
    }

    [Fact]
    public void The_file_round_trips_through_parse_and_write()
    {
        string history = Recorded(
            "[AvroRecord] public partial record Line(string Sku); [AvroRecord] public partial record Order(int Id, List<Line> Lines);",
            "[AvroRecord] public partial record Line(string Sku, int? Quantity); [AvroRecord] public partial record Order(int Id, List<Line> Lines, Dictionary<string, string>? Tags);");
        var parsed = AvroHistoryFile.Parse("x", history);
        Assert.Null(parsed.Error);
        Assert.Equal(["Shop.Line", "Shop.Order"], parsed.Types.Select(t => t.Type).ToArray());
        Assert.Equal(history, AvroHistoryFile.WriteFile(parsed.Types));
    }

    [Fact]
    public void Each_recorded_schema_gets_a_generated_resolving_decoder_that_compiles_cleanly()
    {
        const string line = "[AvroRecord] public partial record Line(string Sku, int Quantity);";
        const string order = "public enum Kind { A, B } [AvroRecord] public partial class Order { public int Id { get; set; } public Kind Kind { get; set; } public List<Line> Lines { get; set; } = new(); public Dictionary<string, float> Totals { get; set; } = new(); public string Legacy { get; set; } = \"\"; }";
        string history = Recorded(line + order);
        const string current = "[AvroRecord] public partial record Line(string Sku, long Quantity, string? Note);"
            + "public enum Kind { B, A, C } [AvroRecord] public partial class Order { public long Id { get; set; } public Kind Kind { get; set; } public List<Line> Lines { get; set; } = new(); public Dictionary<string, double> Totals { get; set; } = new(); public int? Priority { get; set; } }";
        var result = Run(history, current);
        Assert.DoesNotContain(result.GeneratorDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
        GeneratorRunner.AssertCompilesCleanly(result);

        string decoders = result.Source("Shop.Order.AvroResolving.g.cs");
        long v1 = AvroHistoryFile.Parse("x", history).Find("Shop.Order")!.Versions[0].Fingerprint;
        Assert.Contains($"{v1}L => ReadAvroV1, // version 1", decoders, StringComparison.Ordinal);
        Assert.Contains("GetAvroResolvingReader(long writerFingerprint)", decoders, StringComparison.Ordinal);
        Assert.Contains("f0 = (long)reader.ReadInt();", decoders, StringComparison.Ordinal);                       // promotion
        Assert.Contains("0 => global::Shop.Kind.A,", decoders, StringComparison.Ordinal);                           // enum by name
        Assert.Contains("item0 = ReadAvroV1_Line_1(ref reader);", decoders, StringComparison.Ordinal);             // nested record
        Assert.Contains("item0 = (double)reader.ReadFloat();", decoders, StringComparison.Ordinal);                // promotion in a map
        Assert.Contains("// Legacy: only in the writer's schema, skipped.", decoders, StringComparison.Ordinal);
        Assert.Contains("f4 = null; // only in the reader's schema: its default", decoders, StringComparison.Ordinal);
        Assert.Contains("Priority = f4,", decoders, StringComparison.Ordinal);                                     // init-only construction
        Assert.Contains("return new global::Shop.Line(f0, f1, f2);", decoders, StringComparison.Ordinal);          // positional construction
        Assert.Contains("ReadAvroV1, // version 1", result.Source("Shop.Line.AvroResolving.g.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public Task Resolving_decoders_golden_output()
    {
        // Version 1: Order(int Id, Kind Kind, List<Line> Lines, string Legacy) with Line(string Sku, int Quantity);
        // the current shapes promote, reorder enum symbols, skip Legacy, default Note and Priority, and are recorded too.
        const string v1 = "public enum Kind { A, B } [AvroRecord] public partial record Line(string Sku, int Quantity);"
            + "[AvroRecord] public partial record Order(int Id, Kind Kind, List<Line> Lines, string Legacy);";
        const string current = "public enum Kind { B, A, C } [AvroRecord] public partial record Line(string Sku, long Quantity, string? Note);"
            + "[AvroRecord] public partial record Order(long Id, Kind Kind, List<Line> Lines, int? Priority);";
        string history = Recorded(v1, current);
        return new KappaGeneratorTest<AvroRecordGenerator>
        {
            TestCode = Usings + current,
            TestState = { AdditionalFiles = { (HistoryPath, history) } },
        }.ExpectBaselines("ResolvingDecoders").RunAsync();
    }

    private const string KindsV1 = "public enum Level { Low, High }"
        + "[AvroUnion(typeof(Card), typeof(Voucher), typeof(Cash))] public abstract partial record Payment;"
        + "[AvroRecord] public partial record Card(string Number) : Payment;"
        + "[AvroRecord] public partial record Cash(long Cents) : Payment;"
        + "[AvroRecord] public partial record Voucher(string Code) : Payment;"
        + "[AvroRecord] public partial record Shipment([AvroFixed(8)] byte[] Hash, [AvroFixed] Guid Id, AvroDuration Window, TimeOnly Opens,"
        + " [AvroTimestamp(Local = true)] DateTime Local, Payment Payment, Cash Refund, int Value, string Label, int At, string Amount, [AvroFixed(3)] byte[] Gone);";

    private const string KindsCurrent = "public enum Level { Low, High }"
        + "[AvroUnion(typeof(Card), typeof(Cash), typeof(Gift))] public abstract partial record Payment;"
        + "[AvroRecord] public partial record Card(string Number, string Network = \"visa\") : Payment;"
        + "[AvroRecord] public partial record Cash(long Cents) : Payment;"
        + "[AvroRecord, AvroAlias(\"Shop.Voucher\")] public partial record Gift(string Code) : Payment;"
        + "[AvroRecord] public partial record Place(string Street, string City = \"Berlin\");"
        + "[AvroRecord] public partial record Shipment([AvroFixed(8)] byte[] Hash, [AvroFixed] Guid Id, AvroDuration Window, TimeOnly Opens,"
        + " [AvroTimestamp(Local = true)] DateTime Local, Payment Payment, Payment? Refund, AvroUnion<long, string> Value, [AvroAlias(\"Label\")] string Title,"
        + " DateTimeOffset At, [AvroDecimal(9, 2)] decimal Amount,"
        + " [AvroDefault(\"{\\\"Street\\\": \\\"Main\\\"}\")] Place Home = null!, [AvroDefault(\"[1, 2]\")] List<int> Counts = null!,"
        + " [AvroDefault(\"{\\\"a\\\": 1.5}\")] Dictionary<string, double> Weights = null!, [AvroDefault(\"\\\"\\\\u0000\\\\u00ff\\\"\")] byte[] Salt = null!,"
        + " [AvroFixed(2, Name = \"Magic\")] [AvroDefault(\"\\\"ab\\\"\")] byte[] Magic = null!, Level Level = Level.High,"
        + " [AvroDefault(\"{\\\"Number\\\": \\\"n/a\\\"}\")] Payment Fallback = null!, [AvroDefault(\"\\\"none\\\"\")] AvroUnion<string, Cash> Note = default,"
        + " [AvroDecimal(9, 2)] decimal Credit = -1.5m, [AvroDefault(\"3600000\")] TimeOnly Noon = default,"
        + " [AvroDefault(\"\\\"\\\\u0001\\\\u0000\\\\u0000\\\\u0000\\\\u0002\\\\u0000\\\\u0000\\\\u0000\\\\u0003\\\\u0000\\\\u0000\\\\u0000\\\"\")] AvroDuration Grace = default);";

    [Fact]
    public void The_new_kinds_get_generated_resolving_decoders()
    {
        string history = Recorded(KindsV1, KindsCurrent);
        var result = Run(history, KindsCurrent);
        Assert.DoesNotContain(result.GeneratorDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
        GeneratorRunner.AssertCompilesCleanly(result);

        string decoders = result.Source("Shop.Shipment.AvroResolving.g.cs");
        Assert.DoesNotContain("no generated decoder", decoders, StringComparison.Ordinal);
        Assert.Contains("f0 = reader.ReadFixed(8);", decoders, StringComparison.Ordinal);                           // fixed
        Assert.Contains("f1 = reader.ReadUuidFixed();", decoders, StringComparison.Ordinal);                        // uuid on fixed
        Assert.Contains("f2 = reader.ReadDuration();", decoders, StringComparison.Ordinal);                         // duration
        Assert.Contains("f3 = reader.ReadTimeMillis();", decoders, StringComparison.Ordinal);                       // time-millis
        Assert.Contains("f4 = reader.ReadLocalTimestampMillis();", decoders, StringComparison.Ordinal);             // local-timestamp-millis
        Assert.Contains("switch (reader.ReadUnionIndex(3))", decoders, StringComparison.Ordinal);                   // writer union
        Assert.Contains("f5 = ReadAvroV1_Card_", decoders, StringComparison.Ordinal);                               // branch record with a new field
        Assert.Contains("f5 = ReadAvroV1_Gift_", decoders, StringComparison.Ordinal);                               // Voucher through Gift's alias
        Assert.Contains("f6 = global::Shop.Cash.ReadAvro(ref reader);", decoders, StringComparison.Ordinal);        // non-union writer into a union
        Assert.Contains("f7 = global::Kappa.AvroUnion<long, string>.FromItem1(uv0);", decoders, StringComparison.Ordinal);
        Assert.Contains("uv0 = (long)reader.ReadInt();", decoders, StringComparison.Ordinal);                       // int promoted into the long branch
        Assert.Contains("reader.Field = \"Title\";", decoders, StringComparison.Ordinal);                          // field alias
        Assert.Contains("{ global::Kappa.Avro.AvroReader promoted = reader; promoted.ReadInt(); }", decoders, StringComparison.Ordinal);
        Assert.Contains("f9 = reader.ReadTimestampMillis();", decoders, StringComparison.Ordinal);                  // int into timestamp-millis
        Assert.Contains("f10 = reader.ReadDecimal(2);", decoders, StringComparison.Ordinal);                        // string into a decimal's bytes
        Assert.Contains("reader.ReadFixedSpan(3);", decoders, StringComparison.Ordinal);                            // writer-only fixed skipped
        Assert.Contains("f11 = new global::Shop.Place(\"Main\", \"Berlin\");", decoders, StringComparison.Ordinal);
        Assert.Contains("f12 = new global::System.Collections.Generic.List<int> { 1, 2 };", decoders, StringComparison.Ordinal);
        Assert.Contains("f13 = new global::System.Collections.Generic.Dictionary<string, double> { [\"a\"] = 1.5d };", decoders, StringComparison.Ordinal);
        Assert.Contains("f14 = new byte[] { 0, 255 };", decoders, StringComparison.Ordinal);
        Assert.Contains("f15 = new byte[] { 97, 98 };", decoders, StringComparison.Ordinal);
        Assert.Contains("f16 = global::Shop.Level.High;", decoders, StringComparison.Ordinal);
        Assert.Contains("f17 = new global::Shop.Card(\"n/a\", \"visa\");", decoders, StringComparison.Ordinal);
        Assert.Contains("f18 = global::Kappa.AvroUnion<string, global::Shop.Cash>.FromItem1(\"none\");", decoders, StringComparison.Ordinal);
        Assert.Contains("f19 = -1.50m;", decoders, StringComparison.Ordinal);
        Assert.Contains("f20 = new global::System.TimeOnly(36000000000L);", decoders, StringComparison.Ordinal);
        Assert.Contains("f21 = new global::Kappa.AvroDuration(1u, 2u, 3u);", decoders, StringComparison.Ordinal);
    }

    [Fact]
    public Task Resolving_decoders_for_the_new_kinds_golden_output() =>
        new KappaGeneratorTest<AvroRecordGenerator>
        {
            TestCode = Usings + KindsCurrent,
            TestState = { AdditionalFiles = { (HistoryPath, Recorded(KindsV1, KindsCurrent)) } },
        }.ExpectBaselines("ResolvingKinds").RunAsync();

    [Fact]
    public void A_writer_union_branch_record_the_reader_cannot_read_fails_only_when_used_and_in_every_union_it_is_in()
    {
        // Item gained a field without a default (allowed only by mode None): Order's decoder is still generated; each
        // writer union branch holding the old Item fails when data uses it, with the run-time plan's message.
        const string v1 = "[AvroRecord(Compatibility = AvroCompatibilityMode.None)] public partial record Item(string Sku);"
            + "[AvroRecord(Compatibility = AvroCompatibilityMode.None)] public partial record Order(AvroUnion<Item, long> A, AvroUnion<Item, string> B);";
        const string current = "[AvroRecord(Compatibility = AvroCompatibilityMode.None)] public partial record Item(string Sku, int Qty);"
            + "[AvroRecord(Compatibility = AvroCompatibilityMode.None)] public partial record Order(AvroUnion<Item, long> A, AvroUnion<Item, string> B);";
        var result = Run(Recorded(v1), current);
        GeneratorRunner.AssertCompilesCleanly(result);
        string decoders = result.Source("Shop.Order.AvroResolving.g.cs");
        Assert.Contains("=> ReadAvroV1, // version 1", decoders, StringComparison.Ordinal);
        Assert.Contains(
            "throw reader.Fail(u0, \"the writer's union branch Shop.Item cannot be read as [Shop.Item,long] (the reader's field 'Qty' is not in the writer's Shop.Item and has no default)\");",
            decoders,
            StringComparison.Ordinal);
        Assert.Contains("as [Shop.Item,string] (the reader's field 'Qty'", decoders, StringComparison.Ordinal);
        Assert.DoesNotContain("ReadAvroV1_Item", decoders, StringComparison.Ordinal);
        Assert.Contains("no generated decoder: the recorded schema cannot be resolved", result.Source("Shop.Item.AvroResolving.g.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_record_that_fails_in_a_writer_union_branch_leaves_no_method_that_calls_it()
    {
        // Leaf refers back to Tree: Leaf's decoder is built while Tree's is, and calls it. Tree then fails on Label (a
        // later field), so Tree's method is never emitted; Leaf's, built during the failed attempt, must go with it.
        const string v1 = "[AvroRecord(Compatibility = AvroCompatibilityMode.None)] public partial record Leaf(Tree? Parent);"
            + "[AvroRecord(Compatibility = AvroCompatibilityMode.None)] public partial record Tree(Leaf? Child, string Label);"
            + "[AvroRecord(Compatibility = AvroCompatibilityMode.None)] public partial record Order(AvroUnion<Tree, long> A);";
        const string current = "[AvroRecord(Compatibility = AvroCompatibilityMode.None)] public partial record Leaf(Tree? Parent);"
            + "[AvroRecord(Compatibility = AvroCompatibilityMode.None)] public partial record Tree(Leaf? Child, int Label);"
            + "[AvroRecord(Compatibility = AvroCompatibilityMode.None)] public partial record Order(AvroUnion<Tree, long> A);";
        var result = Run(Recorded(v1), current);
        GeneratorRunner.AssertCompilesCleanly(result);
        string decoders = result.Source("Shop.Order.AvroResolving.g.cs");
        Assert.Contains("=> ReadAvroV1, // version 1", decoders, StringComparison.Ordinal);
        Assert.Contains("the writer's union branch Shop.Tree cannot be read as [Shop.Tree,long]", decoders, StringComparison.Ordinal);
        Assert.DoesNotContain("ReadAvroV1_Tree", decoders, StringComparison.Ordinal);
        Assert.DoesNotContain("ReadAvroV1_Leaf", decoders, StringComparison.Ordinal);
    }

    [Fact]
    public void A_recursive_record_reads_its_changed_self_through_its_own_decoder()
    {
        string history = Recorded("[AvroRecord] public partial record Node(int Value, Node? Next, List<Node> Children);");
        var result = Run(history, "[AvroRecord] public partial record Node(long Value, Node? Next, List<Node> Children, string? Label);");
        GeneratorRunner.AssertCompilesCleanly(result);
        string decoders = result.Source("Shop.Node.AvroResolving.g.cs");
        Assert.DoesNotContain("no generated decoder", decoders, StringComparison.Ordinal);
        Assert.Contains("f1 = ReadAvroV1(ref reader);", decoders, StringComparison.Ordinal);
        Assert.Contains("item0 = ReadAvroV1(ref reader);", decoders, StringComparison.Ordinal);
    }

    [Fact]
    public void A_recorded_schema_that_cannot_be_resolved_gets_no_decoder_and_says_why()
    {
        string history = Recorded("[AvroRecord] public partial record Order(string Id);");
        var result = Run(history, "[AvroRecord(Compatibility = AvroCompatibilityMode.None)] public partial record Order(int Id);");
        GeneratorRunner.AssertCompilesCleanly(result);
        string decoders = result.Source("Shop.Order.AvroResolving.g.cs");
        Assert.DoesNotContain("=> ReadAvroV1", decoders, StringComparison.Ordinal);
        Assert.Contains(
            "no generated decoder: the recorded schema cannot be resolved to the current one (the writer's type string cannot be read as int), so its data cannot be read as this type at all: AvroResolution<T> refuses it",
            decoders,
            StringComparison.Ordinal);
    }

    [Fact]
    public void The_current_schema_alone_gets_no_resolving_decoders() =>
        Assert.DoesNotContain(Run(Recorded(V1), V1).GeneratedSources, s => s.HintName.EndsWith(".AvroResolving.g.cs", StringComparison.Ordinal));

    [Fact]
    public void Unrelated_edits_do_not_rerun_the_history_check() =>
        GeneratorRunner.AssertIncrementalCachingWith(
            new AvroRecordGenerator(),
            [new InMemoryAdditionalText(HistoryPath, Recorded(V1))],
            [Usings + V1],
            GeneratorRunner.AddUnrelatedType,
            Kappa.Generators.Common.TrackingNames.AvroHistoryFile,
            Kappa.Generators.Common.TrackingNames.AvroHistoryResults,
            Kappa.Generators.Common.TrackingNames.AvroResolvingDecoders);

    [Fact]
    public void The_example_in_the_docs_is_a_valid_history_whose_schemas_are_what_the_generator_records()
    {
        string docs = File.ReadAllText(Path.Combine(RepoRoot(), "docs", "avro.md"));
        int section = docs.IndexOf("## Schema history", StringComparison.Ordinal);
        int start = docs.IndexOf("```json\n", section, StringComparison.Ordinal) + "```json\n".Length;
        string example = docs[start..docs.IndexOf("```", start, StringComparison.Ordinal)];
        var parsed = AvroHistoryFile.Parse("docs", example);
        Assert.Null(parsed.Error);

        // The documented versions are exactly what the workflow records for these two steps of Shop.Order.
        string recorded = Recorded(V1, "[AvroRecord] public partial record Order(int Id, string Sku, string? Note);");
        Assert.Equal(recorded, AvroHistoryFile.WriteFile(parsed.Types));
        Assert.Equal(recorded, example);
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Gen.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Gen.sln not found above " + AppContext.BaseDirectory);
    }
}
