using Kappa.State;

namespace Kappa.Runtime.Tests.State;

public sealed class StateLockFileTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "kappa-lock-" + Guid.NewGuid().ToString("N") + ".json");

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void Generated_lock_content_records_the_new_shape_with_retired_fields()
    {
        string json = Kappa.Generated.KappaStateLock.Json;
        Assert.Contains("\"type\": \"Kappa.Runtime.Tests.State.LegacyV2\",\n      \"schemaVersion\": 2,", json, StringComparison.Ordinal);
        Assert.Contains("{ \"number\": 4, \"name\": \"Amount\", \"type\": \"decimal\" }", json, StringComparison.Ordinal);
        Assert.Contains("\"retired\": [\n        { \"number\": 2, \"name\": \"Amount\", \"type\": \"long\" },\n        { \"number\": 3, \"name\": \"Note\", \"type\": \"string\" }", json, StringComparison.Ordinal);
        Assert.Contains("\"type\": \"Kappa.Runtime.Tests.State.Totals\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_fails_with_instructions_when_the_file_differs_and_passes_when_equal()
    {
        if (Environment.GetEnvironmentVariable(StateLockFile.UpdateVariable) == "1")
        {
            Assert.Fail($"Run this test without {StateLockFile.UpdateVariable}.");
        }

        var missing = Assert.Throws<InvalidOperationException>(() => StateLockFile.Verify(_path, "{}\n"));
        Assert.Contains("does not exist", missing.Message, StringComparison.Ordinal);
        Assert.Contains(StateLockFile.UpdateVariable, missing.Message, StringComparison.Ordinal);

        File.WriteAllText(_path, "{ \"old\": true }\n");
        var differs = Assert.Throws<InvalidOperationException>(() => StateLockFile.Verify(_path, "{}\n"));
        Assert.Contains("does not record the current state shapes", differs.Message, StringComparison.Ordinal);

        File.WriteAllText(_path, "{}\r\n");
        Assert.False(StateLockFile.Verify(_path, "{}\n"));
    }
}
