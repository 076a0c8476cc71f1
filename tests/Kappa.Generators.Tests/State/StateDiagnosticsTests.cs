using Kappa.Generators.State;
using Kappa.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using static Kappa.Generators.Tests.Infrastructure.GeneratorDiagnosticResults;
using static Kappa.Generators.Tests.State.StateGeneratorHarness;

namespace Kappa.Generators.Tests.State;

public class StateDiagnosticsTests
{
    private const string Header = "using System; using System.Collections.Generic; using Kappa; using Kappa.State; namespace Demo;\n";

    /// <summary>The state generator on the standard harness, with an optional kappa-state.lock.json.</summary>
    private static KappaGeneratorTest<ProcessorStateGenerator> Test(string source, string? lockJson = null, params DiagnosticResult[] expected)
    {
        var test = new KappaGeneratorTest<ProcessorStateGenerator> { TestState = { Sources = { source } } };
        if (lockJson is not null)
        {
            test.TestState.AdditionalFiles.Add((LockPath, lockJson));
        }

        test.ExpectedDiagnostics.AddRange(expected);
        return test;
    }

    /// <summary>
    /// For the lock-file checks: the generator still emits the type's code and the lock and reports its "new lock entry"
    /// info; these tests are about the error only (the other two are checked by the tests of accepted shapes).
    /// </summary>
    private static KappaGeneratorTest<ProcessorStateGenerator> ErrorOnly(KappaGeneratorTest<ProcessorStateGenerator> test)
    {
        test.TestBehaviors |= TestBehaviors.SkipGeneratedSourcesCheck;
        test.DisabledDiagnostics.Add("KAPPA049");
        return test;
    }

    private static string Lock(params string[] entries) =>
        "{ \"version\": 1, \"states\": [" + string.Join(",", entries) + "] }";

    private const string RegionLock = """
        { "type": "Demo.Region", "schemaVersion": 3, "fields": [
            { "number": 1, "name": "Revenue", "type": "decimal" },
            { "number": 2, "name": "Orders", "type": "long" } ] }
        """;

    [Fact]
    public Task KAPPA040_type_not_partial() =>
        Test(Header + "[ProcessorState] public struct {|#0:Region|} { public long Orders; }", null, Error("KAPPA040").WithArguments("Demo.Region", "")).RunAsync();

    [Fact]
    public Task KAPPA040_containing_type_not_partial() =>
        Test(
            Header + "public class Outer { [ProcessorState] public partial struct {|#0:Region|} { public long Orders; } }",
            null,
            Error("KAPPA040").WithArguments("Demo.Outer.Region", " (and so must its containing type 'Outer')")).RunAsync();

    [Theory]
    [InlineData("[ProcessorState] public partial struct {|#0:Region|}<T> { public long Orders; }", "Demo.Region<T>", "generic types are not supported (the state schema must be one fixed shape); declare a non-generic type per state")]
    [InlineData("[ProcessorState] public ref partial struct {|#0:Region|} { public long Orders; }", "Demo.Region", "ref structs cannot be stored in a state store")]
    [InlineData("[ProcessorState] public abstract partial class {|#0:Region|} { public long Orders; }", "Demo.Region", "abstract classes cannot be created when state is restored")]
    [InlineData("public partial class Outer<T> { [ProcessorState] public partial struct {|#0:Region|} { public long Orders; } }", "Demo.Outer<T>.Region", "generic types are not supported (the state schema must be one fixed shape); declare a non-generic type per state")]
    public Task KAPPA041_unsupported_type_kinds(string declaration, string type, string reason) =>
        Test(Header + declaration, null, Error("KAPPA041").WithArguments(type, reason)).RunAsync();

    [Theory]
    [InlineData("public object {|#0:Payload|};", "Payload", "object", "a custom type must be marked [ProcessorState] itself")]
    [InlineData("public HashSet<int> {|#0:Seen|} = new();", "Seen", "System.Collections.Generic.HashSet<int>", "use List<T>, T[] or Dictionary<string, T> (collections with a defined order)")]
    [InlineData("public Dictionary<int, long> {|#0:ById|} = new();", "ById", "System.Collections.Generic.Dictionary<int, long>", "dictionary keys must be string (written in ordinal key order)")]
    [InlineData("public DateTime {|#0:At|};", "At", "System.DateTime", "DateTime carries an ambiguous Kind; use DateTimeOffset")]
    [InlineData("public int[,] {|#0:Grid|} = new int[1, 1];", "Grid", "int[*,*]", "only one-dimensional arrays are supported")]
    [InlineData("public List<Uri> {|#0:Links|} = new();", "Links", "System.Collections.Generic.List<System.Uri>", "a custom type must be marked [ProcessorState] itself")]
    public Task KAPPA042_unsupported_field_types(string member, string field, string type, string reason)
    {
        var test = Test(Header + "[ProcessorState] public partial class Region { " + member + " }", null, Error("KAPPA042").WithArguments("Demo.Region", field, type, reason));
        if (field == "Payload")
        {
            // A non-nullable reference field without an initializer: the compiler's nullable warning (it names the field twice).
            test.ExpectedDiagnostics.Add(DiagnosticResult.CompilerWarning("CS8618").WithLocation(0).WithLocation(0).WithArguments("field", "Payload"));
        }

        return test.RunAsync();
    }

    [Theory]
    [InlineData("public readonly long {|#0:Orders|};", "a readonly field")]
    [InlineData("public long {|#0:Orders|} { get; init; }", "an init-only property")]
    [InlineData("public long {|#0:Orders|} { get; private set; }", "a property without a public setter")]
    public Task KAPPA043_members_that_cannot_be_restored(string member, string what) =>
        Test(Header + "[ProcessorState] public partial class Region { " + member + " }", null, Error("KAPPA043").WithArguments("Demo.Region", "Orders", what)).RunAsync();

    [Fact]
    public void Get_only_and_non_public_members_are_not_state()
    {
        var result = Run((string?)null, Header + "[ProcessorState] public partial class Region { public long Orders; public long Twice => Orders * 2; private long _cache = 1; internal long Other = 2; public long Cache() => _cache + Other; }");
        GeneratorRunner.AssertCompilesCleanly(result);
        string info = Message(Single(result, "KAPPA049"));
        Assert.Contains("\"Orders\"", info, StringComparison.Ordinal);
        Assert.DoesNotContain("Twice", info, StringComparison.Ordinal);
        Assert.DoesNotContain("_cache", info, StringComparison.Ordinal);
        Assert.DoesNotContain("Other", info, StringComparison.Ordinal);
    }

    [Fact]
    public Task Unknown_field_types_are_left_to_the_compiler() =>
        Test(
            Header + "[ProcessorState] public partial class Region { public List<{|#0:Missing|}> Items = new(); }",
            null,
            DiagnosticResult.CompilerError("CS0246").WithLocation(0).WithArguments("Missing")).RunAsync();

    [Fact]
    public void Record_class_with_parameterless_constructor_compiles()
    {
        var result = Run((string?)null, Header + "[ProcessorState] public partial record Region { public long Orders { get; set; } public List<string> Tags { get; set; } = new(); }");
        GeneratorRunner.AssertCompilesCleanly(result);
        Assert.Contains("partial record Region : global::Kappa.State.IProcessorState<global::Demo.Region>", result.Source("Demo.Region.State.g.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public Task KAPPA044_class_without_parameterless_constructor() =>
        Test(
            Header + "[ProcessorState] public partial class {|#0:Region|} { public Region(long o) { Orders = o; } public long Orders; }",
            null,
            Error("KAPPA044").WithArguments("Demo.Region", "Region")).RunAsync();

    [Fact]
    public Task KAPPA045_removed_field_without_migration() =>
        ErrorOnly(Test(
            Header + "[ProcessorState] public partial struct {|#0:Region|} { public decimal Revenue; }",
            Lock(RegionLock),
            Error("KAPPA045").WithArguments("Demo.Region", "Orders", "long", "kappa-state.lock.json", "Region"))).RunAsync();

    [Fact]
    public Task KAPPA046_retyped_field_without_migration() =>
        ErrorOnly(Test(
            Header + "[ProcessorState] public partial struct Region { public decimal Revenue; public int {|#0:Orders|}; }",
            Lock(RegionLock),
            Error("KAPPA046").WithArguments("Demo.Region", "Orders", "long", "kappa-state.lock.json", "Region", "int"))).RunAsync();

    [Fact]
    public async Task Retyped_and_removed_fields_with_migrations_compile_and_bump_the_version()
    {
        const string source = Header + """
            [ProcessorState] public partial struct Region
            {
                public decimal Revenue;
                public int OrderCount;
                [StateMigration("Orders")] static void MigrateOrders(ref Region s, long old) => s.OrderCount = (int)old;
            }
            """;

        // The generated code, against the baseline, compiled cleanly (the harness); KAPPA049's text is checked below.
        await new KappaGeneratorTest<Kappa.Generators.State.ProcessorStateGenerator>
        {
            TestState = { Sources = { source }, AdditionalFiles = { (LockPath, Lock(RegionLock)) } },
            DisabledDiagnostics = { "KAPPA049" },
        }.ExpectBaselines("Migration").RunAsync();

        var result = Run(Lock(RegionLock), source);
        Assert.DoesNotContain(result.GeneratorDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
        string info = Message(Single(result, "KAPPA049"));
        Assert.Contains("schema version 4", info, StringComparison.Ordinal);
        Assert.Contains("{ \"number\": 3, \"name\": \"OrderCount\", \"type\": \"int\" }", info, StringComparison.Ordinal);
        Assert.Contains("\"retired\": [\n        { \"number\": 2, \"name\": \"Orders\", \"type\": \"long\" }", info, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[StateMigration(\"Orders\")] static void {|#0:M|}(ref Region s, int old) { }", "field 'Orders' was recorded as 'long', but the migration takes 'int'; its second parameter must be 'long'", false)]
    [InlineData("[StateMigration(\"Orders\")] static int {|#0:M|}(ref Region s, long old) => 0;", "the signature must be 'static void M(ref Region state, OldType oldValue)'", false)]
    [InlineData("[StateMigration(\"Orders\")] void {|#0:M|}(ref Region s, long old) { }", "the signature must be 'static void M(ref Region state, OldType oldValue)'", false)]
    [InlineData("[StateMigration(\"Orders\")] static void {|#0:M|}(Region s, long old) { }", "the signature must be 'static void M(ref Region state, OldType oldValue)'", false)]
    [InlineData("[StateMigration(\"Nope\")] static void {|#0:M|}(ref Region s, long old) { }", "'Nope' is not a removed or retyped field of this state in kappa-state.lock.json (only fields recorded in the lock file can be migrated)", true)]
    [InlineData("[StateMigration(\"Orders\")] static void {|#0:M|}(ref Region s, object old) { }", "the old value's type 'object' is not a supported state type (a custom type must be marked [ProcessorState] itself)", false)]
    public Task KAPPA047_invalid_migrations(string migration, string problem, bool ordersAlsoUnmigrated)
    {
        var test = Test(
            Header + "[ProcessorState] public partial struct {|#1:Region|} { public decimal Revenue; " + migration + " }",
            Lock(RegionLock),
            Error("KAPPA047").WithArguments("Demo.Region", "M", problem));
        if (ordersAlsoUnmigrated)
        {
            test.ExpectedDiagnostics.Add(Error("KAPPA045", 1).WithArguments("Demo.Region", "Orders", "long", "kappa-state.lock.json", "Region"));
        }

        return ErrorOnly(test).RunAsync();
    }

    [Theory]
    [InlineData("{ \"version\": 1, \"states\": [ ", "line 1, column 29: unexpected end of file")]
    [InlineData("{ \"version\": 2, \"states\": [] }", "lock file format version 2 is not supported (expected 1)")]
    [InlineData("{ \"version\": 1 }", "'states' is missing in the document")]
    [InlineData("{ \"version\": 1, \"states\": [ { \"type\": \"A\", \"schemaVersion\": 1, \"fields\": [ { \"number\": 1, \"name\": \"X\", \"type\": \"int\" }, { \"number\": 1, \"name\": \"Y\", \"type\": \"int\" } ] } ] }", "state 'A' uses field number 1 twice or below 1")]
    public Task KAPPA048_invalid_lock_file(string json, string problem) =>
        ErrorOnly(Test(
            Header + "[ProcessorState] public partial struct Region { public long Orders; }",
            json,
            ErrorWithoutLocation("KAPPA048").WithArguments(LockPath, problem))).RunAsync();

    /// <remarks>
    /// Stays on the direct driver: the error names one of the two files, and which one depends on the order the host
    /// passes additional files in (the harness orders its documents differently from the list it is given), so the
    /// message cannot be pinned whole; the test checks the part that does not depend on the order.
    /// </remarks>
    [Fact]
    public void KAPPA048_two_lock_files()
    {
        var result = RunWith(
            [new InMemoryAdditionalText("/a/kappa-state.lock.json", Lock()), new InMemoryAdditionalText("/b/kappa-state.lock.json", Lock())],
            Header + "[ProcessorState] public partial struct Region { public long Orders; }");
        Assert.Contains("pass exactly one", Message(Single(result, "KAPPA048")), StringComparison.Ordinal);
    }

    [Fact]
    public void KAPPA049_silent_when_the_shape_matches_the_lock()
    {
        var result = Run(Lock(RegionLock), Header + "[ProcessorState] public partial struct Region { public long Orders; public decimal Revenue; }");
        GeneratorRunner.AssertCompilesCleanly(result);
        Assert.Empty(result.GeneratorDiagnostics);

        // Field numbers come from the lock, not the declaration order, and the version is the recorded one.
        string source = result.Source("Demo.Region.State.g.cs");
        Assert.Contains("StateSchemaVersion => 3;", source, StringComparison.Ordinal);
        Assert.Contains("\"state Demo.Region\\n1 Revenue decimal\\n2 Orders long\\n\"", source, StringComparison.Ordinal);
    }

    [Fact]
    public void Added_field_keeps_old_numbers_and_bumps_the_version()
    {
        var result = Run(Lock(RegionLock), Header + "[ProcessorState] public partial struct Region { public string? Name; public decimal Revenue; public long Orders; }");
        GeneratorRunner.AssertCompilesCleanly(result);
        Diagnostic d = Single(result, "KAPPA049");
        Assert.Equal(DiagnosticSeverity.Info, d.Severity);
        Assert.Contains("schema version 4", Message(d), StringComparison.Ordinal);
        Assert.Contains("\"state Demo.Region\\n1 Revenue decimal\\n2 Orders long\\n3 Name string\\n\"", result.Source("Demo.Region.State.g.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_state_diagnostic_has_a_help_link_and_a_docs_page()
    {
        var descriptors = typeof(Kappa.Generators.State.ProcessorStateGenerator).Assembly
            .GetType("Kappa.Generators.Common.DiagnosticDescriptors")!
            .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Select(f => f.GetValue(null))
            .OfType<DiagnosticDescriptor>()
            .Where(d => string.CompareOrdinal(d.Id, "KAPPA040") >= 0 && string.CompareOrdinal(d.Id, "KAPPA059") <= 0)
            .ToList();
        Assert.Equal(10, descriptors.Count);
        string docs = Path.Combine(RepoRoot(), "docs", "diagnostics");
        foreach (DiagnosticDescriptor d in descriptors)
        {
            Assert.EndsWith($"/docs/diagnostics/{d.Id}.md", d.HelpLinkUri, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(docs, d.Id + ".md")), $"missing docs/diagnostics/{d.Id}.md");
        }
    }

    private static string RepoRoot([System.Runtime.CompilerServices.CallerFilePath] string path = "")
    {
        string? dir = Path.GetDirectoryName(path);
        while (dir is not null && !File.Exists(Path.Combine(dir, "Gen.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException("Gen.sln not found above " + path);
    }
}
