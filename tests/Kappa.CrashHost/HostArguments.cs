using System.Globalization;

namespace Kappa.CrashHost;

/// <summary>Command line of the crash host (see docs/resilience.md).</summary>
public sealed class HostArguments
{
    public string? LogDirectory { get; private set; }

    public string? KafkaBootstrap { get; private set; }

    /// <summary>The Kafka cluster is librdkafka's mock: emulate the transactional offset commit it does not store.</summary>
    public bool MockBroker { get; private set; }






    public bool ExactlyOnce { get; private set; } = true;

    /// <summary>Prefix of the framework processor's topics and group (see <see cref="RenamedDispatcher"/>).</summary>
    public string Prefix { get; private set; } = "";

    /// <summary>The framework processor's instance id (its transactional id is {group}.{instance}).</summary>
    public string InstanceId { get; private set; } = "crash-host";

    public int BatchSize { get; private set; } = 100;

    public bool UntilCaughtUp { get; private set; }

    /// <summary>Milliseconds to sleep every 10 records (0: full speed); see <see cref="Pacing"/>.</summary>
    public int PaceMs { get; private set; }

    public TimeSpan MaxRunTime { get; private set; } = TimeSpan.FromMinutes(5);

    public static HostArguments Parse(string[] args)
    {
        var result = new HostArguments();
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"Option '{name}' needs a value.");
            switch (name)
            {
                case "--log": result.LogDirectory = Next(); break;
                case "--kafka": result.KafkaBootstrap = Next(); break;
                case "--mock-broker": result.MockBroker = true; break;
                case "--prefix": result.Prefix = Next(); break;
                case "--instance": result.InstanceId = Next(); break;
                case "--batch": result.BatchSize = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--until-caught-up": result.UntilCaughtUp = true; break;
                case "--pace-ms": result.PaceMs = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--max-seconds": result.MaxRunTime = TimeSpan.FromSeconds(int.Parse(Next(), CultureInfo.InvariantCulture)); break;
                case "--delivery":
                    string delivery = Next();
                    result.ExactlyOnce = delivery switch
                    {
                        "exactly-once" => true,
                        "at-least-once" => false,
                        _ => throw new ArgumentException($"--delivery must be 'exactly-once' or 'at-least-once', not '{delivery}'."),
                    };
                    break;
                default: throw new ArgumentException($"Unknown option '{name}'.");
            }
        }

        if ((result.LogDirectory is null) == (result.KafkaBootstrap is null))
        {
            throw new ArgumentException("Give exactly one of --log DIR or --kafka BOOTSTRAP.");
        }

        if (result.BatchSize < 1)
        {
            throw new ArgumentException("--batch must be at least 1.");
        }

        return result;
    }
}
