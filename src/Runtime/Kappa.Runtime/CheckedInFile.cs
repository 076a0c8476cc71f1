namespace Kappa;

/// <summary>
/// The one mechanism behind the checked-in files a build keeps in step (state lock, Avro schema history): a unit test
/// compares the file with the generated content and fails while they differ, or writes the file when the update
/// variable is "1".
/// </summary>
internal static class CheckedInFile
{
    /// <summary>Returns true when the file was written; throws with <paramref name="explain"/>'s text when it differs.</summary>
    public static bool Verify(string path, string expectedContent, string updateVariable, Func<bool, string> explain)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(expectedContent);
        string? current = File.Exists(path) ? File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal) : null;
        if (current == expectedContent)
        {
            return false;
        }

        if (Environment.GetEnvironmentVariable(updateVariable) == "1")
        {
            File.WriteAllText(path, expectedContent);
            return true;
        }

        throw new InvalidOperationException($"{explain(current is not null)} Expected content:\n{expectedContent}");
    }
}
