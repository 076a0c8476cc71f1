namespace Kappa.Lifecycle;

/// <summary>How <see cref="OutputComparer"/> compared the values of one sink in two versions.</summary>
public enum OutputComparison
{
    /// <summary>Both versions write plain Avro: values are equal when their bytes are.</summary>
    Bytes,

    /// <summary>
    /// Both versions write Confluent-framed Avro: each value is decoded with its writer schema from the schema registry
    /// and values are equal when they mean the same, whatever schema id framed them.
    /// </summary>
    Values,

    /// <summary>One version frames the sink's values and the other does not: the Avro bodies are compared by their bytes, without the frame.</summary>
    Bodies,
}
