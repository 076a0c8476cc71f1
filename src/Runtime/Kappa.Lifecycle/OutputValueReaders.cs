using Kappa.Avro.Registry;
using Kappa.Naming;

namespace Kappa.Lifecycle;

/// <summary>How to read a sink's values in the old and the new version for the diff: the readers and the <see cref="OutputComparison"/> they make.</summary>
internal sealed record OutputValueReaders(IOutputValueReader Old, IOutputValueReader New, OutputComparison Comparison)
{
    /// <summary>Plain Avro on both sides: bytes.</summary>
    public static OutputValueReaders Bytes { get; } = new(RawOutputValueReader.Instance, RawOutputValueReader.Instance, OutputComparison.Bytes);

    /// <summary>
    /// The readers for <paramref name="sink"/> as <paramref name="old"/> and <paramref name="new"/> write it: decoded values
    /// when both frame it (needs <paramref name="registry"/>), bodies when one does, bytes when neither does.
    /// </summary>
    public static OutputValueReaders For(string sink, VersionArtifacts old, VersionArtifacts @new, ISchemaRegistry? registry)
    {
        bool oldFramed = old.IsFramed(sink);
        bool newFramed = @new.IsFramed(sink);
        if (oldFramed && newFramed)
        {
            if (registry is null)
            {
                throw new InvalidOperationException(
                    $"The outputs of sink '{sink}' are Confluent-framed in v{old.Version} and v{@new.Version}: diffing them decodes each value with its writer schema, so it needs the schema registry. " +
                    "Give one to KappaLifecycle (schemaRegistry) or to Verify, or in a host call AddKappa(...).AddSchemaRegistry(...).");
            }

            return new(
                new FramedOutputValueReader(registry, KappaNames.OutputTopic(sink, old.Version)),
                new FramedOutputValueReader(registry, KappaNames.OutputTopic(sink, @new.Version)),
                OutputComparison.Values);
        }

        if (oldFramed || newFramed)
        {
            return new(
                oldFramed ? FramedBodyOutputValueReader.Instance : RawOutputValueReader.Instance,
                newFramed ? FramedBodyOutputValueReader.Instance : RawOutputValueReader.Instance,
                OutputComparison.Bodies);
        }

        return Bytes;
    }
}
