using System.Globalization;

namespace Kappa.Benchmarks.Kafka;

/// <summary>
/// The command line of <see cref="TypedConsumeHarness"/>: <c>typed-harness [rounds [streaming|prefetched [option...]
/// [contender...]]]</c>, options <c>broker=inprocess|external</c> and <c>librdkafka.setting=value</c> (a dotted name).
/// </summary>
public sealed class HarnessOptions
{
    public int Rounds { get; private init; } = 20;

    public string Mode { get; private init; } = "streaming";

    public bool Prefetched => Mode == "prefetched";

    /// <summary>The mock cluster in a kappa-test-broker process rather than in the harness's own.</summary>
    public bool ExternalBroker { get; private init; }

    /// <summary>librdkafka settings given to every contender's consumer alike.</summary>
    public IReadOnlyDictionary<string, string> ConsumerProperties { get; private init; } = new Dictionary<string, string>();

    /// <summary>Contenders to run (all when empty).</summary>
    public IReadOnlyList<string> Contenders { get; private init; } = [];

    /// <param name="args">The program's arguments, starting with "typed-harness".</param>
    public static HarnessOptions Parse(string[] args)
    {
        int rounds = 20;
        if (args.Length > 1 && (!int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out rounds) || rounds < 1))
        {
            throw new ArgumentException($"typed-harness: '{args[1]}' is not a number of rounds (a positive integer).");
        }

        string mode = args.Length > 2 ? args[2] : "streaming";
        if (mode is not ("streaming" or "prefetched"))
        {
            throw new ArgumentException($"Unknown mode '{mode}': use streaming (the fetcher runs during the measurement) or prefetched (the topic is fetched first).");
        }

        bool external = false;
        var properties = new Dictionary<string, string>();
        var contenders = new List<string>();
        foreach (string arg in args.Skip(3))
        {
            int eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                contenders.Add(arg);
                continue;
            }

            string name = arg[..eq];
            string value = arg[(eq + 1)..];
            if (name == "broker")
            {
                external = value switch
                {
                    "external" => true,
                    "inprocess" => false,
                    _ => throw new ArgumentException($"typed-harness: broker={value}: use broker=inprocess (default) or broker=external (a kappa-test-broker process)."),
                };
            }
            else if (name.Contains('.', StringComparison.Ordinal) && value.Length > 0)
            {
                properties[name] = value;
            }
            else
            {
                throw new ArgumentException($"typed-harness: unknown option '{arg}': options are broker=inprocess|external and librdkafka settings such as fetch.max.bytes=67108864.");
            }
        }

        return new HarnessOptions { Rounds = rounds, Mode = mode, ExternalBroker = external, ConsumerProperties = properties, Contenders = contenders };
    }
}
