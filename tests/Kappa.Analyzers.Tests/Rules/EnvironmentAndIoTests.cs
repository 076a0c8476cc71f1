using Kappa.Analyzers.Determinism;
using Kappa.Analyzers.Tests.Infrastructure;
using Verifier = Microsoft.CodeAnalysis.Testing.AnalyzerVerifier<
    Kappa.Analyzers.Determinism.DeterminismAnalyzer,
    Kappa.Analyzers.Tests.Infrastructure.KappaAnalyzerTest<Kappa.Analyzers.Determinism.DeterminismAnalyzer>,
    Microsoft.CodeAnalysis.Testing.DefaultVerifier>;

namespace Kappa.Analyzers.Tests.Rules;

/// <summary>KAPPA110 environment, KAPPA111 I/O and the banned-member list.</summary>
public class EnvironmentAndIoTests
{
    [Theory]
    [InlineData("Environment.GetEnvironmentVariable(\"X\")")]
    [InlineData("Environment.MachineName")]
    [InlineData("Environment.ProcessorCount")]
    [InlineData("Environment.ProcessId")]
    [InlineData("Environment.CurrentManagedThreadId")]
    [InlineData("Thread.CurrentThread.ManagedThreadId")]
    [InlineData("System.Diagnostics.Process.GetCurrentProcess()")]
    [InlineData("AppContext.BaseDirectory")]
    [InlineData("System.Runtime.InteropServices.RuntimeInformation.OSDescription")]
    public Task EnvironmentReads_AreReported(string expression) =>
        Verifier.VerifyAnalyzerAsync(Sources.Processor($"        return {{|KAPPA110:{expression}|}};"));

    [Theory]
    [InlineData("System.IO.File.ReadAllText(\"x\")")]
    [InlineData("System.IO.File.Exists(\"x\")")]
    [InlineData("System.IO.Directory.GetFiles(\"x\")")]
    [InlineData("new System.IO.FileInfo(\"x\")")]
    [InlineData("new System.IO.FileStream(\"x\", System.IO.FileMode.Open)")]
    [InlineData("new System.IO.StreamReader(\"x\")")]
    [InlineData("new System.Net.Http.HttpClient()")]
    [InlineData("System.Net.Dns.GetHostName()")]
    [InlineData("new System.Net.Sockets.TcpClient()")]
    public Task IoAndExternalLookups_AreReported(string expression) =>
        Verifier.VerifyAnalyzerAsync(Sources.Processor($"        return {{|KAPPA111:{expression}|}};"));

    [Fact]
    public Task ConsoleAndInjectedClientsAndStreams_AreReported() =>
        Verifier.VerifyAnalyzerAsync(Sources.Processor("""
                    {|KAPPA111:Console.WriteLine(value)|};
                    var ms = new System.IO.MemoryStream();
                    ms.WriteByte(1);
                    ms.Position = 0;
                    var reader = new System.IO.StreamReader(ms);
                    return ({|KAPPA111:_http.GetStringAsync("http://rates")|}, {|KAPPA111:_db.CreateCommand()|}, {|KAPPA111:_stream.ReadByte()|}, reader.ReadToEnd(), ms.ToArray());
            """, members: """
                private readonly System.Net.Http.HttpClient _http = null!;
                private readonly System.Data.Common.DbConnection _db = null!;
                private readonly System.IO.Stream _stream = null!;
            """));

    [Fact]
    public Task BannedMembers_FromAdditionalFile_AreReported()
    {
        var test = new KappaAnalyzerTest<DeterminismAnalyzer>();
        test.TestState.AdditionalFiles.Add(("/repo/KappaBannedMembers.txt", """
            # company services that are not in the log
            T:Company.Pricing.PriceService; prices change during the day, join the prices topic instead
            M:Company.Util.Lookup.Find
            M:Company.Util.Lookup.Get(System.Int32)
            N:Company.Legacy
            P:Company.Util.Settings.Current; read settings at startup
            """));
        test.TestCode = Sources.Processor("""
                    var svc = new Company.Pricing.PriceService();
                    return ({|KAPPA111:svc.Price(value)|}, {|KAPPA111:Company.Util.Lookup.Find(value)|}, {|KAPPA111:Company.Util.Lookup.Get(1)|},
                        Company.Util.Lookup.Get("x"), {|KAPPA111:Company.Legacy.Old.Call()|}, {|KAPPA111:Company.Util.Settings.Current|});
            """.Replace("var svc = new Company.Pricing.PriceService();", "var svc = {|KAPPA111:new Company.Pricing.PriceService()|};"), outside: """
            namespace Company.Pricing { public class PriceService { public decimal Price(string s) => 1m; } }
            namespace Company.Util
            {
                public static class Lookup { public static int Find(string s) => 1; public static int Get(int i) => i; public static int Get(string s) => 2; }
                public static class Settings { public static string Current => "x"; }
            }
            namespace Company.Legacy { public static class Old { public static int Call() => 3; } }
            """);
        return test.RunAsync();
    }

    [Fact]
    public Task BannedMember_Message_CarriesTheReason() =>
        new KappaAnalyzerTest<DeterminismAnalyzer>
        {
            TestCode = Sources.Processor("        return {|#0:Company.Util.Lookup.Find(value)|};", outside: """
                namespace Company.Util { public static class Lookup { public static int Find(string s) => 1; } }
                """),
            TestState = { AdditionalFiles = { ("KappaBannedMembers.txt", "M:Company.Util.Lookup.Find; use the lookup topic") } },
            ExpectedDiagnostics =
            {
                Verifier.Diagnostic("KAPPA111").WithLocation(0)
                    .WithArguments("Lookup.Find()", "Orders.Handle -> Lookup.Find()", " (banned in KappaBannedMembers.txt: use the lookup topic)"),
            },
        }.RunAsync();

    [Fact]
    public Task OtherAdditionalFiles_AreIgnored() =>
        new KappaAnalyzerTest<DeterminismAnalyzer>
        {
            TestCode = Sources.Processor("        return Company.Util.Lookup.Find(value);", outside: """
                namespace Company.Util { public static class Lookup { public static int Find(string s) => 1; } }
                """),
            TestState = { AdditionalFiles = { ("Other.txt", "M:Company.Util.Lookup.Find") } },
        }.RunAsync();
}
