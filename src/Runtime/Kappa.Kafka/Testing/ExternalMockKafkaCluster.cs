using System.Diagnostics;
using Kappa.Transport;

namespace Kappa.Kafka.Testing;

/// <summary>
/// A mock Kafka cluster in a separate <c>kappa-test-broker</c> process, driven over its stdin/stdout protocol
/// (see <see cref="MockClusterCommands"/>). Killing the process kills the cluster, which crash tests rely on.
/// </summary>
public sealed class ExternalMockKafkaCluster : IDisposable
{
    /// <summary>Environment variable naming kappa-test-broker.dll when it is not next to the calling application.</summary>
    public const string BrokerPathVariable = "KAPPA_TEST_BROKER_PATH";

    private readonly Process _process;
    private readonly object _gate = new();
    private readonly Queue<string> _stderr = new();

    /// <param name="brokers">Number of mock brokers.</param>
    /// <param name="brokerDll">Path of kappa-test-broker.dll; default: <see cref="BrokerPathVariable"/>, else next to this application.</param>
    /// <param name="startTimeout">How long to wait for the bootstrap line (default 60 s).</param>
    /// <param name="environment">Environment variables to set (or, with a null value, remove) for the broker process.</param>
    public ExternalMockKafkaCluster(int brokers = 3, string? brokerDll = null, TimeSpan? startTimeout = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        string dll = brokerDll ?? Environment.GetEnvironmentVariable(BrokerPathVariable) ?? Path.Combine(AppContext.BaseDirectory, "kappa-test-broker.dll");
        if (!File.Exists(dll))
        {
            throw new KafkaMockClusterException(
                $"kappa-test-broker.dll not found at '{dll}'. Reference src/Runtime/Kappa.Kafka.TestBroker from the calling project, or set {BrokerPathVariable}.");
        }

        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach ((string name, string? value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }

        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--brokers");
        start.ArgumentList.Add(brokers.ToString(System.Globalization.CultureInfo.InvariantCulture));
        _process = Process.Start(start) ?? throw new KafkaMockClusterException($"Could not start '{start.FileName} {dll}'.");
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (_stderr)
            {
                _stderr.Enqueue(e.Data);
                if (_stderr.Count > 20)
                {
                    _stderr.Dequeue();
                }
            }
        };
        _process.BeginErrorReadLine();

        string? first = ReadLine(startTimeout ?? TimeSpan.FromSeconds(60), "the bootstrap servers");
        if (string.IsNullOrWhiteSpace(first) || first.StartsWith("error", StringComparison.Ordinal))
        {
            // A process that failed on its own: wait for its stderr to be read to the end, so the error names the cause.
            if (_process.WaitForExit(10_000))
            {
                _process.WaitForExit();
            }

            Kill();
            throw new KafkaMockClusterException($"kappa-test-broker did not start: {first ?? "no output"}. {StderrTail()}");
        }

        Bootstrap = first.Trim();
        BrokerCount = brokers;
    }

    public string Bootstrap { get; }

    public int BrokerCount { get; }

    /// <summary>The broker process (crash tests kill it).</summary>
    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public void CreateTopic(string name, int partitions = 1) => Send($"topic {Word(name)} {partitions}");

    public void BrokerDown(int brokerId) => Send($"down {brokerId}");

    public void BrokerUp(int brokerId) => Send($"up {brokerId}");

    public void PushRequestErrors(short apiKey, params int[] errorCodes)
    {
        ArgumentNullException.ThrowIfNull(errorCodes);
        if (errorCodes.Length > 0)
        {
            Send($"errors {apiKey} {string.Join(',', errorCodes)}");
        }
    }

    public void ClearRequestErrors(short apiKey) => Send($"clear {apiKey}");

    public void SetPartitionLeader(string topic, int partition, int brokerId) => Send($"leader {Word(topic)} {partition} {brokerId}");

    public void SetCoordinator(string keyType, string key, int brokerId) => Send($"coordinator {Word(keyType)} {Word(key)} {brokerId}");

    /// <summary>
    /// The librdkafka file the broker process loaded, and every librdkafka file it maps (Linux; elsewhere only the first).
    /// </summary>
    public (string LoadedFrom, IReadOnlyList<string> Mapped) NativeLibrary()
    {
        string[] fields = Send("native").Split('\t');
        return (fields[0], fields[1..]);
    }

    /// <summary>Options for a <see cref="KafkaTransport"/> on this cluster (see <see cref="MockKafkaCluster.TransportOptions"/>).</summary>
    public KafkaTransportOptions TransportOptions() => new()
    {
        BootstrapServers = Bootstrap,
        TopicCreator = spec => CreateTopic(spec.Name, spec.Partitions),
        // The mock never stores offsets sent to a transaction (docs/kafka.md, "Transactions and exactly-once").
        EmulateTransactionalOffsetCommit = true,
    };

    /// <summary>Sends one command line and returns the answer after "ok" (throws on "error: ...").</summary>
    public string Send(string command)
    {
        ArgumentNullException.ThrowIfNull(command);
        lock (_gate)
        {
            if (_process.HasExited)
            {
                throw new KafkaMockClusterException($"kappa-test-broker (pid {_process.Id}) has exited (code {_process.ExitCode}); cannot run '{command}'. {StderrTail()}");
            }

            try
            {
                _process.StandardInput.WriteLine(command);
                _process.StandardInput.Flush();
            }
            catch (IOException ex)
            {
                throw new KafkaMockClusterException($"kappa-test-broker (pid {_process.Id}) is gone; cannot run '{command}'.", ex);
            }

            string? answer = ReadLine(TimeSpan.FromSeconds(30), $"the answer to '{command}'");
            if (answer is null)
            {
                throw new KafkaMockClusterException($"kappa-test-broker closed its output before answering '{command}'. {StderrTail()}");
            }

            if (answer.StartsWith("error", StringComparison.Ordinal))
            {
                throw new KafkaMockClusterException($"kappa-test-broker rejected '{command}': {answer}");
            }

            return answer.Length > 2 ? answer[3..] : string.Empty;
        }
    }

    /// <summary>Kills the broker process at once (as a crash would).</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.Close();
                if (!_process.WaitForExit(10_000))
                {
                    Kill();
                }
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException)
        {
            Kill();
        }

        _process.Dispose();
    }

    private string? ReadLine(TimeSpan timeout, string what)
    {
        Task<string?> read = _process.StandardOutput.ReadLineAsync();
        if (!read.Wait(timeout))
        {
            Kill();
            throw new KafkaMockClusterException($"kappa-test-broker did not send {what} within {timeout}. {StderrTail()}");
        }

        return read.Result;
    }

    private string StderrTail()
    {
        lock (_stderr)
        {
            return _stderr.Count == 0 ? string.Empty : "stderr: " + string.Join(" | ", _stderr);
        }
    }

    private static string Word(string value) =>
        !string.IsNullOrEmpty(value) && !value.Any(char.IsWhiteSpace)
            ? value
            : throw new ArgumentException($"'{value}' cannot be sent to kappa-test-broker: names must be non-empty and contain no whitespace.");

    private static string DotnetHost()
    {
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }

        string? processPath = Environment.ProcessPath;
        if (processPath is not null && Path.GetFileNameWithoutExtension(processPath).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            return processPath;
        }

        return "dotnet";
    }
}
