namespace Kappa.Sinks;

/// <summary>A <see cref="TableSchema"/> that no database can create: the message names the column or index and the rule.</summary>
public sealed class TableSchemaException : ArgumentException
{
    public TableSchemaException(string message)
        : base(message)
    {
    }
}
