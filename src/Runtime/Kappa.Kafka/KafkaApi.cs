namespace Kappa.Kafka;

/// <summary>A Kafka protocol API used by Kappa's admin operations: its name and ApiKey (https://kafka.apache.org/protocol#protocol_api_keys).</summary>
public readonly record struct KafkaApi(string Name, short Key)
{
    public static readonly KafkaApi Metadata = new("Metadata", 3);
    public static readonly KafkaApi DescribeGroups = new("DescribeGroups", 15);
    public static readonly KafkaApi ListGroups = new("ListGroups", 16);
    public static readonly KafkaApi CreateTopics = new("CreateTopics", 19);
    public static readonly KafkaApi DeleteTopics = new("DeleteTopics", 20);
    public static readonly KafkaApi DescribeConfigs = new("DescribeConfigs", 32);
    public static readonly KafkaApi DeleteGroups = new("DeleteGroups", 42);

    public override string ToString() => $"{Name} (ApiKey {Key})";
}
