namespace Kappa.Avro.Schemas;

/// <summary>
/// Keeps kappa-avro-history.json in step with the generated <c>Kappa.Generated.KappaAvroSchemaHistory.Json</c> of an
/// assembly (the file's records plus each [AvroRecord] type's current schema when it is new): call <see cref="Verify"/>
/// from a unit test. It fails while the file differs; run the test once with <c>KAPPA_UPDATE_AVRO_HISTORY=1</c> to
/// record the current schemas (review the diff, then commit it).
/// </summary>
public static class AvroSchemaHistoryFile
{
    /// <summary>The environment variable that makes <see cref="Verify"/> write the file instead of failing.</summary>
    public const string UpdateVariable = "KAPPA_UPDATE_AVRO_HISTORY";

    /// <summary>
    /// Fails with an explanation when the file at <paramref name="path"/> does not hold <paramref name="expectedJson"/>;
    /// writes it instead when <see cref="UpdateVariable"/> is "1". Returns true when the file was written.
    /// </summary>
    public static bool Verify(string path, string expectedJson) =>
        CheckedInFile.Verify(path, expectedJson, UpdateVariable, exists =>
            $"The Avro schema history '{path}' {(exists ? "does not record the current schemas" : "does not exist")}. Build info KAPPA014 names each type whose schema is new. " +
            $"Once the new schemas are final, rerun with {UpdateVariable}=1 to record them and commit the file before records with them are written.");
}
