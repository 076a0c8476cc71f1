namespace Kappa.State;

/// <summary>
/// State bytes are corrupt, truncated or not state at all. Names the state type and field being read (when known)
/// and the byte offset where decoding failed.
/// </summary>
public sealed class StateFormatException : Exception
{
    public StateFormatException(string reason, int offset, string? typeName = null, string? fieldName = null)
        : base(Format(reason, offset, typeName, fieldName))
    {
        Reason = reason;
        Offset = offset;
        TypeName = typeName;
        FieldName = fieldName;
    }

    /// <summary>What is wrong, without the location.</summary>
    public string Reason { get; }

    /// <summary>Byte offset in the state value where decoding failed.</summary>
    public int Offset { get; }

    /// <summary>The state type being decoded, when known.</summary>
    public string? TypeName { get; }

    /// <summary>The field being decoded, when known.</summary>
    public string? FieldName { get; }

    /// <summary>The same error with the state type and field filled in (generated readers call this).</summary>
    public StateFormatException WithLocation(string typeName, string? fieldName) =>
        TypeName is not null ? this : new StateFormatException(Reason, Offset, typeName, fieldName);

    private static string Format(string reason, int offset, string? typeName, string? fieldName)
    {
        string where = typeName is null ? string.Empty : fieldName is null ? $" in state '{typeName}'" : $" in state '{typeName}', field '{fieldName}'";
        return $"Invalid state{where} at byte offset {offset}: {reason}";
    }
}
