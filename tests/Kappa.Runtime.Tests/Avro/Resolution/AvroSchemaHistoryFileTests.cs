using Kappa.Avro.Schemas;

namespace Kappa.Runtime.Tests.Avro.Resolution;

public sealed class AvroSchemaHistoryFileTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "kappa-avro-history-" + Guid.NewGuid().ToString("N") + ".json");

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void Verify_fails_with_instructions_when_the_file_differs_and_passes_when_equal()
    {
        if (Environment.GetEnvironmentVariable(AvroSchemaHistoryFile.UpdateVariable) == "1")
        {
            Assert.Fail($"Run this test without {AvroSchemaHistoryFile.UpdateVariable}.");
        }

        var missing = Assert.Throws<InvalidOperationException>(() => AvroSchemaHistoryFile.Verify(_path, "{}\n"));
        Assert.Contains("does not exist", missing.Message, StringComparison.Ordinal);
        Assert.Contains(AvroSchemaHistoryFile.UpdateVariable + "=1", missing.Message, StringComparison.Ordinal);

        File.WriteAllText(_path, "{ \"old\": true }\n");
        var differs = Assert.Throws<InvalidOperationException>(() => AvroSchemaHistoryFile.Verify(_path, "{}\n"));
        Assert.Contains("does not record the current schemas", differs.Message, StringComparison.Ordinal);
        Assert.EndsWith("Expected content:\n{}\n", differs.Message, StringComparison.Ordinal);

        File.WriteAllText(_path, "{}\r\n");
        Assert.False(AvroSchemaHistoryFile.Verify(_path, "{}\n"));
    }
}
