namespace Kappa.Avro.Registry;

/// <summary>How an output's subject is named (Confluent's strategies).</summary>
public enum SubjectNameStrategy
{
    /// <summary><c>{topic}-value</c> (the default): one schema lineage per topic.</summary>
    Topic,

    /// <summary><c>{record full name}</c>: one lineage per record type, across topics.</summary>
    Record,

    /// <summary><c>{topic}-{record full name}</c>: one lineage per record type per topic.</summary>
    TopicRecord,
}

public static class SubjectNames
{
    /// <summary>The value subject for <paramref name="topic"/> and a record with <paramref name="recordFullName"/>.</summary>
    public static string For(SubjectNameStrategy strategy, string topic, string recordFullName) => strategy switch
    {
        SubjectNameStrategy.Topic => topic + "-value",
        SubjectNameStrategy.Record => recordFullName,
        SubjectNameStrategy.TopicRecord => topic + "-" + recordFullName,
        _ => throw new ArgumentOutOfRangeException(nameof(strategy), strategy, "unknown subject name strategy"),
    };
}
