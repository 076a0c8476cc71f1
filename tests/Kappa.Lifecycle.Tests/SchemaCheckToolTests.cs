using System.Text.Json;
using Kappa.Avro.Registry;
using Kappa.Cli;
using Kappa.Lifecycle.Tests.Infrastructure;
using Kappa.Log;
using Kappa.Log.Registry;

namespace Kappa.Lifecycle.Tests;

/// <summary><c>kappa schema check</c> as a process: against the embedded registry of a log directory and a registry over HTTP.</summary>
public sealed class SchemaCheckToolTests : IDisposable
{
    private const string V1 = """{"type":"record","name":"Order","namespace":"shop","fields":[{"name":"Id","type":"string"},{"name":"Amount","type":"int"}]}""";
    private const string V2 = """{"type":"record","name":"Order","namespace":"shop","fields":[{"name":"Id","type":"string"},{"name":"Amount","type":"int"},{"name":"Note","type":["null","string"],"default":null}]}""";

    /// <summary>Reads v1 and v2: Amount widened to long, a new field with a default.</summary>
    private const string Compatible = """{"type":"record","name":"Order","namespace":"shop","fields":[{"name":"Id","type":"string"},{"name":"Amount","type":"long"},{"name":"Note","type":["null","string"],"default":null},{"name":"Channel","type":"string","default":"web"}]}""";

    /// <summary>Cannot read v1 or v2: a new field without default, and Id changed to int.</summary>
    private const string Breaking = """{"type":"record","name":"Order","namespace":"shop","fields":[{"name":"Id","type":"int"},{"name":"Amount","type":"int"},{"name":"Region","type":"string"}]}""";

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "kappa-schema-check-" + Guid.NewGuid().ToString("N"));

    public SchemaCheckToolTests()
    {
        Directory.CreateDirectory(_dir);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Checks_a_file_against_every_version_in_the_embedded_registry_of_a_log()
    {
        string log = Path.Combine(_dir, "log");
        using (EmbeddedLog opened = EmbeddedLog.Open(new EmbeddedLogOptions { Directory = log }))
        {
            var registry = new EmbeddedSchemaRegistry(opened);
            await registry.RegisterAsync("orders-value", V1);
            await registry.RegisterAsync("orders-value", V2);
        }

        string compatible = Write("compatible.avsc", Compatible);
        string breaking = Write("breaking.avsc", Breaking);

        var (code, output, error) = KappaTool.Run("schema", "check", "orders-value", "--file", compatible, "--log", log, "--json");
        Assert.True(code == ExitCodes.Done, error + output);
        JsonElement ok = KappaTool.Json(output);
        Assert.True(ok.GetProperty("compatible").GetBoolean());
        Assert.Equal("BACKWARD_TRANSITIVE", ok.GetProperty("mode").GetString());
        Assert.Equal([1, 2], ok.GetProperty("checkedVersions").EnumerateArray().Select(v => v.GetInt32()));
        Assert.Equal(0, ok.GetProperty("violations").GetArrayLength());

        (code, output, _) = KappaTool.Run("schema", "check", "orders-value", "--file", breaking, "--log", log, "--json");
        Assert.Equal(ExitCodes.Refused, code);
        JsonElement report = KappaTool.Json(output);
        Assert.False(report.GetProperty("compatible").GetBoolean());
        var violations = report.GetProperty("violations").EnumerateArray()
            .Select(v => (v.GetProperty("version").GetInt32(), v.GetProperty("direction").GetString(), v.GetProperty("field").GetString(), v.GetProperty("reason").GetString()))
            .ToList();
        // Both versions, each with the changed Id and the new Region without default, seen from the new schema as reader.
        Assert.Equal(4, violations.Count);
        Assert.All(violations, v => Assert.Equal("backward", v.Item2));
        Assert.Equal([1, 1, 2, 2], violations.Select(v => v.Item1));
        Assert.Equal(2, violations.Count(v => v.Item3 == "Id"));
        Assert.Equal(2, violations.Count(v => v.Item3 == "Region" && v.Item4!.Contains("default", StringComparison.Ordinal)));

        // Plain BACKWARD checks the latest version only; the human rendering names version, direction, field and reason.
        (code, output, _) = KappaTool.Run("schema", "check", "orders-value", "--file", breaking, "--log", log, "--mode", "BACKWARD");
        Assert.Equal(ExitCodes.Refused, code);
        Assert.Contains("incompatible", output, StringComparison.Ordinal);
        Assert.Contains("the new schema cannot read data written with version 2", output, StringComparison.Ordinal);
        Assert.Contains("Region", output, StringComparison.Ordinal);
        Assert.DoesNotContain("version 1", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Checks_a_registered_subject_version_against_a_registry_over_http_in_both_directions()
    {
        var registry = new InMemorySchemaRegistry();
        await registry.RegisterAsync("orders-value", V1);
        await registry.RegisterAsync("orders-value", V2);
        registry.SetMode("orders-next-value", Avro.Schemas.AvroCompatibilityMode.None);
        await registry.RegisterAsync("orders-next-value", Compatible);
        await using SchemaRegistryHttpServer http = SchemaRegistryHttpServer.Start(registry);

        var (code, output, error) = KappaTool.Run("schema", "check", "orders-value", "--from-subject", "orders-next-value", "--registry", http.Url, "--mode", "FULL_TRANSITIVE", "--json");
        Assert.True(code == ExitCodes.Refused, error + output);
        JsonElement report = KappaTool.Json(output);
        Assert.Equal("orders-next-value version 1 (id 3)", report.GetProperty("schema").GetString());
        // Forward: v1 and v2 cannot read the new Amount (long is not promoted to int); backward is fine.
        var violations = report.GetProperty("violations").EnumerateArray().ToList();
        Assert.Equal([1, 2], violations.Select(v => v.GetProperty("version").GetInt32()));
        Assert.All(violations, v => Assert.Equal(("forward", "Amount"), (v.GetProperty("direction").GetString(), v.GetProperty("field").GetString())));

        (code, output, _) = KappaTool.Run("schema", "check", "orders-value", "--from-subject", "orders-value", "--from-version", "2", "--registry", http.Url, "--json");
        Assert.Equal(ExitCodes.Done, code);
        Assert.True(KappaTool.Json(output).GetProperty("compatible").GetBoolean());
    }

    [Fact]
    public async Task Bad_arguments_and_unknown_subjects_are_errors()
    {
        var registry = new InMemorySchemaRegistry();
        await registry.RegisterAsync("orders-value", V1);
        await using SchemaRegistryHttpServer http = SchemaRegistryHttpServer.Start(registry);
        string file = Write("v.avsc", V2);

        var (code, output, _) = KappaTool.Run("schema", "check", "nobody-value", "--file", file, "--registry", http.Url, "--json");
        Assert.Equal(ExitCodes.Error, code);
        JsonElement failure = KappaTool.Json(output);
        Assert.Equal("error", failure.GetProperty("error").GetString());
        Assert.Contains("'nobody-value' has no registered versions", failure.GetProperty("message").GetString(), StringComparison.Ordinal);

        (code, _, string error) = KappaTool.Run("schema", "check", "orders-value", "--file", file, "--registry", http.Url, "--mode", "SIDEWAYS");
        Assert.Equal(ExitCodes.Error, code);
        Assert.Contains("Unknown compatibility mode 'SIDEWAYS'", error, StringComparison.Ordinal);

        (code, _, error) = KappaTool.Run("schema", "check", "orders-value", "--registry", http.Url);
        Assert.Equal(ExitCodes.Error, code);
        Assert.Contains("--file", error, StringComparison.Ordinal);

        (code, _, error) = KappaTool.Run("schema", "check", "orders-value", "--file", Write("bad.avsc", "{\"type\":\"recrod\"}"), "--registry", http.Url);
        Assert.Equal(ExitCodes.Error, code);
        Assert.Contains("not a valid Avro schema", error, StringComparison.Ordinal);
    }

    private string Write(string name, string content)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }
}
