using System.Globalization;

namespace Kappa.CrashHost;

/// <summary>Command line of the crash host (see docs/resilience.md).</summary>
public sealed class HostArguments
{
    public string? LogDirectory { get; private set; }

    public string? KafkaBootstrap { get; private set; }

    /// <summary>The Kafka cluster is librdkafka's mock: emulate the transactional offset commit it does not store.</summary>
    public bool MockBroker { get; private set; }

    public string Input { get; private set; } = "crash-input";

    public string Output { get; private set; } = "crash-totals";

    public string Changelog { get; private set; } = "crash-totals.changelog";

    public string Group { get; private set; } = "crash-totals.v1";

    public string TransactionalId { get; private set; } = "crash-totals.v1.instance-0";

    public bool ExactlyOnce { get; private set; } = true;

    public int BatchSize { get; private set; } = 100;

    public bool UntilCaughtUp { get; private set; }

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
                case "--input": result.Input = Next(); break;
                case "--output": result.Output = Next(); break;
                case "--changelog": result.Changelog = Next(); break;
                case "--group": result.Group = Next(); break;
                case "--transactional-id": result.TransactionalId = Next(); break;
                case "--batch": result.BatchSize = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--until-caught-up": result.UntilCaughtUp = true; break;
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
