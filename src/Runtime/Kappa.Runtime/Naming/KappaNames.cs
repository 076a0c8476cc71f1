namespace Kappa.Naming;

/// <summary>
/// The one place that turns processor names and versions into group, topic, table and serving names.
/// Every component (generated processors, transports, lifecycle, CLI) calls these; nothing formats names itself.
/// </summary>
public static class KappaNames
{
    /// <summary>Consumer group of one processor version: <c>{processor}.v{N}</c>.</summary>
    public static string ConsumerGroup(string processor, int version) => Versioned(processor, version);

    /// <summary>Compacted changelog of a state store: <c>{processor}.v{N}.{store}-changelog</c>.</summary>
    public static string Changelog(string processor, int version, string store)
    {
        ValidateName(store, nameof(store));
        return $"{Versioned(processor, version)}.{store}-changelog";
    }

    /// <summary>Dead-letter topic of one processor version: <c>{processor}.v{N}.dlq</c>.</summary>
    public static string DeadLetter(string processor, int version) => $"{Versioned(processor, version)}.dlq";

    /// <summary>Output topic of a sink for one version: <c>{sink}.v{N}</c>.</summary>
    public static string OutputTopic(string sink, int version) => Versioned(sink, version);

    /// <summary>Serving table of a sink for one version: <c>{sink}_v{N}</c> (dots and dashes become underscores).</summary>
    public static string Table(string sink, int version)
    {
        ValidateName(sink, nameof(sink));
        ValidateVersion(version);
        return $"{sink.Replace('-', '_').Replace('.', '_')}_v{version}";
    }

    /// <summary>Version-independent serving name of a sink (a view or alias record): <c>{sink}</c>.</summary>
    public static string ServingName(string sink)
    {
        ValidateName(sink, nameof(sink));
        return sink;
    }

    /// <summary>
    /// The database view that serves a sink's switched-to version: <see cref="ServingName"/> with dots and dashes turned
    /// into underscores, as in <see cref="Table"/>, so the view and its tables follow one naming rule.
    /// </summary>
    public static string ServingView(string sink)
    {
        ValidateName(sink, nameof(sink));
        return sink.Replace('-', '_').Replace('.', '_');
    }

    /// <summary>Dead-letter topic of one sink writer (records its database refused): <c>{sink}.v{N}.sink-dlq</c>.</summary>
    public static string SinkDeadLetter(string sink, int version) => $"{Versioned(sink, version)}.sink-dlq";

    /// <summary>
    /// The client group id a sink writer's consumer carries: <c>{sink}.v{N}.sink</c>. Nothing is committed to it: the
    /// writer assigns partitions itself, at the offsets stored in its database.
    /// </summary>
    public static string SinkWriterGroup(string sink, int version) => $"{Versioned(sink, version)}.sink";

    /// <summary>The compacted topic that records which version of each sink is serving.</summary>
    public const string DeploymentsTopic = "_kappa.deployments";

    /// <summary>The compacted topic holding committed consumer offsets on the embedded log.</summary>
    public const string ConsumerOffsetsTopic = "_kappa.consumer-offsets";

    private static string Versioned(string name, int version)
    {
        ValidateName(name, nameof(name));
        ValidateVersion(version);
        return $"{name}.v{version}";
    }

    /// <summary>
    /// Names follow Kafka's topic rules: 1-200 characters (leaving room for suffixes within Kafka's 249), ASCII letters, digits, '.', '_' and '-'.
    /// </summary>
    public static void ValidateName(string name, string what = "name")
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new ArgumentException($"The {what} must not be empty.", what);
        }

        if (name.Length > 200)
        {
            throw new ArgumentException($"The {what} '{name}' is {name.Length} characters long; at most 200 are allowed so that versioned topic names stay within Kafka's 249-character limit.", what);
        }

        foreach (char c in name)
        {
            bool ok = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '.' or '_' or '-';
            if (!ok)
            {
                throw new ArgumentException($"The {what} '{name}' contains '{c}'; Kafka topic and group names allow only ASCII letters, digits, '.', '_' and '-'.", what);
            }
        }
    }

    private static void ValidateVersion(int version)
    {
        if (version < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(version), version, "Processor versions start at 1.");
        }
    }
}
