namespace Kappa.State;

/// <summary>
/// Keeps kappa-state.lock.json in step with the generated <c>Kappa.Generated.KappaStateLock.Json</c> of an assembly:
/// call <see cref="Verify"/> from a unit test. It fails while the file differs; run the test once with
/// <c>KAPPA_UPDATE_STATE_LOCK=1</c> to accept the current shapes (review the diff before committing).
/// </summary>
public static class StateLockFile
{
    /// <summary>The environment variable that makes <see cref="Verify"/> write the file instead of failing.</summary>
    public const string UpdateVariable = "KAPPA_UPDATE_STATE_LOCK";

    /// <summary>
    /// Fails with an explanation when the file at <paramref name="path"/> does not hold <paramref name="expectedJson"/>;
    /// writes it instead when <see cref="UpdateVariable"/> is "1". Returns true when the file was written.
    /// </summary>
    public static bool Verify(string path, string expectedJson) =>
        CheckedInFile.Verify(path, expectedJson, UpdateVariable, exists =>
            $"The state lock file '{path}' {(exists ? "does not record the current state shapes" : "does not exist")}. Build warnings KAPPA045/KAPPA046 list incompatible changes; KAPPA049 lists each changed entry. " +
            $"If the new shapes are intended, rerun with {UpdateVariable}=1 to write the file and commit it.");
}
