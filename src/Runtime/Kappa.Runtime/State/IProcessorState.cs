namespace Kappa.State;

/// <summary>
/// Implemented by the source generator for every <c>[ProcessorState]</c> type: a deterministic, versioned binary
/// serializer. The same value gives the same bytes on every run and machine. See docs/state.md for the format.
/// </summary>
public interface IProcessorState<TSelf>
    where TSelf : IProcessorState<TSelf>
{
    /// <summary>The state schema version: 1 for a new type, one more each time the shape differs from the lock file.</summary>
    static abstract int StateSchemaVersion { get; }

    /// <summary>Canonical text of the shape: one line per field (number, name, type), in field-number order.</summary>
    static abstract string StateSchema { get; }

    /// <summary>FNV-1a (32-bit) of <see cref="StateSchema"/> as UTF-8; written into every value header.</summary>
    static abstract uint StateSchemaFingerprint { get; }

    /// <summary>A new value with every field at its declared default (what a missing field keeps).</summary>
    static abstract TSelf CreateDefault();

    /// <summary>Writes the header and the fields, then flushes the writer.</summary>
    static abstract void Write(ref StateWriter writer, in TSelf value);

    /// <summary>Reads a value written by <see cref="Write"/> (by this or an older compatible version) and checks nothing follows.</summary>
    static abstract TSelf Read(ref StateReader reader);

    /// <summary>Writes the tagged fields and the end tag, without a header (nested states).</summary>
    static abstract void WriteFields(ref StateWriter writer, in TSelf value);

    /// <summary>Reads tagged fields up to and including the end tag (nested states).</summary>
    static abstract TSelf ReadFields(ref StateReader reader);
}
