using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Kappa.Tests.KafkaWire;

/// <summary>
/// A small Kafka-protocol broker for testing admin operations at the wire, written from the protocol specification
/// (https://kafka.apache.org/protocol). It listens on loopback TCP (one listener per broker id, all sharing one
/// in-memory state of topics and consumer groups) and answers ApiVersions, Metadata, FindCoordinator, ListGroups,
/// DescribeGroups, DeleteTopics and DeleteGroups, each in one low, non-flexible version. It holds no records: it is
/// the admin side of a cluster, not a log. Errors can be asked for: a topic or group whose deletion fails with a given
/// error code, a group with live members (GROUP_NOT_EMPTY), and brokers that lack an API (it is left out of their
/// ApiVersions answer, as an older or partial broker does).
/// </summary>
public sealed class WireTestBroker : IDisposable
{
    public const short ApiVersions = 18;
    public const short Metadata = 3;
    public const short FindCoordinator = 10;
    public const short DescribeGroups = 15;
    public const short ListGroups = 16;
    public const short DeleteTopics = 20;
    public const short DeleteGroups = 42;

    // Kafka error codes (https://kafka.apache.org/protocol#protocol_error_codes).
    public const short UnknownTopicOrPartition = 3;
    public const short NotCoordinator = 16;
    public const short TopicAuthorizationFailed = 29;
    public const short GroupAuthorizationFailed = 30;
    public const short UnsupportedVersion = 35;
    public const short NotController = 41;
    public const short GroupNotEmpty = 68;
    public const short GroupIdNotFound = 69;

    /// <summary>
    /// The versions of each API this broker speaks, all non-flexible. ListGroups and DescribeGroups also in v0:
    /// librdkafka's legacy group listing (Confluent's <c>IAdminClient.ListGroups</c>) asks for v0 only.
    /// </summary>
    private static readonly IReadOnlyDictionary<short, (short Min, short Max)> Versions = new Dictionary<short, (short, short)>
    {
        [ApiVersions] = (0, 0),
        [Metadata] = (4, 4),
        [FindCoordinator] = (1, 1),
        [DescribeGroups] = (0, 1),
        [ListGroups] = (0, 1),
        [DeleteTopics] = (1, 1),
        [DeleteGroups] = (1, 1),
    };

    private readonly object _gate = new();
    private readonly List<Listener> _listeners = [];
    private readonly SortedDictionary<string, int> _topics = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, int> _groupMembers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, short> _topicDeleteErrors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, short> _groupDeleteErrors = new(StringComparer.Ordinal);
    private readonly List<WireRequest> _requests = [];
    private readonly CancellationTokenSource _stop = new();
    private int _coordinator;

    /// <param name="brokers">Broker ids 1..brokers, each on its own loopback port. Broker 1 is the controller and the group coordinator.</param>
    public WireTestBroker(int brokers = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokers, 1);
        for (int id = 1; id <= brokers; id++)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var entry = new Listener(id, listener, [.. Versions.Keys]);
            _listeners.Add(entry);
            _ = Task.Run(() => AcceptLoop(entry));
        }

        _coordinator = 1;
    }

    /// <summary>"127.0.0.1:port,..." of every broker.</summary>
    public string Bootstrap => string.Join(",", _listeners.Select(l => $"127.0.0.1:{l.Port}"));

    public string Address(int brokerId) => $"127.0.0.1:{Find(brokerId).Port}";

    public IReadOnlyList<string> Topics
    {
        get
        {
            lock (_gate)
            {
                return _topics.Keys.ToArray();
            }
        }
    }

    public IReadOnlyList<string> Groups
    {
        get
        {
            lock (_gate)
            {
                return _groupMembers.Keys.ToArray();
            }
        }
    }

    /// <summary>Every request received, in order.</summary>
    public IReadOnlyList<WireRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return _requests.ToArray();
            }
        }
    }

    public void AddTopic(string name, int partitions)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        lock (_gate)
        {
            _topics[name] = partitions;
        }
    }

    /// <summary>A consumer group with <paramref name="members"/> live members (0: empty, deletable).</summary>
    public void AddGroup(string group, int members = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(group);
        lock (_gate)
        {
            _groupMembers[group] = members;
        }
    }

    /// <summary>Deleting this topic answers <paramref name="errorCode"/> (and keeps the topic); 0 ends that.</summary>
    public void FailTopicDeletion(string topic, short errorCode)
    {
        lock (_gate)
        {
            if (errorCode == 0)
            {
                _topicDeleteErrors.Remove(topic);
            }
            else
            {
                _topicDeleteErrors[topic] = errorCode;
            }
        }
    }

    /// <summary>Deleting this group answers <paramref name="errorCode"/> (and keeps the group); 0 ends that.</summary>
    public void FailGroupDeletion(string group, short errorCode)
    {
        lock (_gate)
        {
            if (errorCode == 0)
            {
                _groupDeleteErrors.Remove(group);
            }
            else
            {
                _groupDeleteErrors[group] = errorCode;
            }
        }
    }

    /// <summary>The broker stops offering this API: it is left out of its ApiVersions answers, and a request for it closes the connection.</summary>
    public void RemoveApi(int brokerId, short apiKey)
    {
        Listener listener = Find(brokerId);
        lock (_gate)
        {
            listener.Apis.Remove(apiKey);
        }
    }

    /// <summary>
    /// Leaves the broker out of Metadata answers: clients learn of it only from FindCoordinator (when it is the
    /// coordinator), so they cannot have connected to it before.
    /// </summary>
    public void HideFromMetadata(int brokerId)
    {
        Listener listener = Find(brokerId);
        lock (_gate)
        {
            listener.Hidden = true;
        }
    }

    public void SetCoordinator(int brokerId)
    {
        Find(brokerId);
        lock (_gate)
        {
            _coordinator = brokerId;
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        foreach (Listener listener in _listeners)
        {
            listener.Socket.Stop();
            lock (_gate)
            {
                foreach (TcpClient client in listener.Clients)
                {
                    client.Dispose();
                }
            }
        }
    }

    private Listener Find(int brokerId) =>
        _listeners.FirstOrDefault(l => l.Id == brokerId) ?? throw new ArgumentOutOfRangeException(nameof(brokerId), brokerId, $"The test broker has broker ids 1..{_listeners.Count}.");

    private async Task AcceptLoop(Listener listener)
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.Socket.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                return;
            }

            lock (_gate)
            {
                listener.Clients.Add(client);
            }

            _ = Task.Run(() => Serve(listener, client));
        }
    }

    private async Task Serve(Listener listener, TcpClient client)
    {
        using (client)
        {
            NetworkStream stream = client.GetStream();
            byte[] sizeBuffer = new byte[4];
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    await stream.ReadExactlyAsync(sizeBuffer, _stop.Token);
                    int size = BinaryPrimitives.ReadInt32BigEndian(sizeBuffer);
                    if (size is < 8 or > 16 * 1024 * 1024)
                    {
                        return;
                    }

                    byte[] request = new byte[size];
                    await stream.ReadExactlyAsync(request, _stop.Token);
                    byte[]? response = Handle(listener, request);
                    if (response is null)
                    {
                        return; // Kafka brokers close the connection on a request they cannot parse or do not offer.
                    }

                    byte[] frame = new byte[4 + response.Length];
                    BinaryPrimitives.WriteInt32BigEndian(frame, response.Length);
                    response.CopyTo(frame, 4);
                    await stream.WriteAsync(frame, _stop.Token);
                }
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException or ObjectDisposedException or EndOfStreamException)
            {
                // The client went away or the broker stops.
            }
        }
    }

    /// <summary>Answers one request (request header v1: api_key, api_version, correlation_id, client_id); null closes the connection.</summary>
    private byte[]? Handle(Listener listener, byte[] request)
    {
        var reader = new WireReader(request);
        short apiKey = reader.Int16();
        short version = reader.Int16();
        int correlationId = reader.Int32();
        bool offered;
        lock (_gate)
        {
            _requests.Add(new WireRequest(listener.Id, apiKey, version));
            offered = listener.Apis.Contains(apiKey);
        }

        var response = new WireWriter().Int32(correlationId); // response header v0
        if (apiKey == ApiVersions)
        {
            // Any ApiVersions version is answered in the v0 layout; a version above 0 gets UNSUPPORTED_VERSION with the
            // supported list, so the client retries with v0 (the protocol's rule for ApiVersions).
            WriteApiVersions(response, listener, version == 0 ? (short)0 : UnsupportedVersion);
            return response.ToArray();
        }

        if (!offered || version < Versions[apiKey].Min || version > Versions[apiKey].Max)
        {
            return null;
        }

        reader.NullableString(); // client_id
        try
        {
            switch (apiKey)
            {
                case Metadata:
                    WriteMetadata(response, reader);
                    break;
                case FindCoordinator:
                    WriteFindCoordinator(response, reader);
                    break;
                case ListGroups:
                    WriteListGroups(response, listener, version);
                    break;
                case DescribeGroups:
                    WriteDescribeGroups(response, reader, version);
                    break;
                case DeleteTopics:
                    WriteDeleteTopics(response, reader, listener);
                    break;
                case DeleteGroups:
                    WriteDeleteGroups(response, reader, listener);
                    break;
                default:
                    return null;
            }
        }
        catch (InvalidDataException)
        {
            return null;
        }

        return response.ToArray();
    }

    // ApiVersions Response (Version: 0) => error_code [api_keys]; api_keys => api_key min_version max_version
    private void WriteApiVersions(WireWriter response, Listener listener, short errorCode)
    {
        short[] apis;
        lock (_gate)
        {
            apis = listener.Apis.Order().ToArray();
        }

        response.Int16(errorCode).Array(apis, (w, key) => w.Int16(key).Int16(Versions[key].Min).Int16(Versions[key].Max));
    }

    // Metadata Request (Version: 4) => [topics] allow_auto_topic_creation; topics => name (null array: all topics)
    // Metadata Response (Version: 4) => throttle_time_ms [brokers] cluster_id controller_id [topics]
    //   brokers => node_id host port rack; topics => error_code name is_internal [partitions]
    //   partitions => error_code partition_index leader_id [replica_nodes] [isr_nodes]
    private void WriteMetadata(WireWriter response, WireReader reader)
    {
        List<string>? requested = reader.NullableArray(r => r.String());
        reader.Bool(); // allow_auto_topic_creation: this broker never creates topics on a lookup
        List<(string Name, int Partitions)> topics;
        lock (_gate)
        {
            topics = requested is null
                ? _topics.Select(t => (t.Key, t.Value)).ToList()
                : requested.Select(name => (name, _topics.TryGetValue(name, out int p) ? p : 0)).ToList();
        }

        Listener[] visible;
        lock (_gate)
        {
            visible = _listeners.Where(l => !l.Hidden).ToArray();
        }

        response.Int32(0)
            .Array(visible, (w, l) => w.Int32(l.Id).String("127.0.0.1").Int32(l.Port).NullableString(null))
            .NullableString("kappa-wire-test")
            .Int32(ControllerId)
            .Array(topics, (w, t) => w
                .Int16(t.Partitions == 0 ? UnknownTopicOrPartition : (short)0)
                .String(t.Name)
                .Bool(false)
                .Array(Enumerable.Range(0, t.Partitions).ToArray(), (pw, p) =>
                {
                    int leader = visible[p % visible.Length].Id;
                    pw.Int16(0).Int32(p).Int32(leader).Array([leader], (x, id) => x.Int32(id)).Array([leader], (x, id) => x.Int32(id));
                }));
    }

    // FindCoordinator Request (Version: 1) => key key_type
    // FindCoordinator Response (Version: 1) => throttle_time_ms error_code error_message node_id host port
    private void WriteFindCoordinator(WireWriter response, WireReader reader)
    {
        reader.String();
        reader.Int8();
        Listener coordinator;
        lock (_gate)
        {
            coordinator = Find(_coordinator);
        }

        response.Int32(0).Int16(0).NullableString(null).Int32(coordinator.Id).String("127.0.0.1").Int32(coordinator.Port);
    }

    // ListGroups Request (Version: 0 and 1) => (empty)
    // ListGroups Response (Version: 1) => throttle_time_ms error_code [groups]; groups => group_id protocol_type (v0: no throttle_time_ms)
    // Each broker lists the groups it coordinates.
    private void WriteListGroups(WireWriter response, Listener listener, short version)
    {
        string[] groups;
        lock (_gate)
        {
            groups = listener.Id == _coordinator ? _groupMembers.Keys.ToArray() : [];
        }

        if (version >= 1)
        {
            response.Int32(0);
        }

        response.Int16(0).Array(groups, (w, g) => w.String(g).String("consumer"));
    }

    // DescribeGroups Request (Version: 0 and 1) => [groups]
    // DescribeGroups Response (Version: 1) => throttle_time_ms [groups] (v0: no throttle_time_ms)
    //   groups => error_code group_id group_state protocol_type protocol_data [members]
    //   members => member_id client_id client_host member_metadata member_assignment
    private void WriteDescribeGroups(WireWriter response, WireReader reader, short version)
    {
        List<string> names = reader.Array(r => r.String());
        List<(string Name, int Members, bool Known)> groups;
        lock (_gate)
        {
            groups = names.Select(n => (n, _groupMembers.TryGetValue(n, out int m) ? m : 0, _groupMembers.ContainsKey(n))).ToList();
        }

        if (version >= 1)
        {
            response.Int32(0);
        }

        response.Array(groups, (w, g) => w
            .Int16(0)
            .String(g.Name)
            .String(!g.Known ? "Dead" : g.Members > 0 ? "Stable" : "Empty")
            .String(g.Known ? "consumer" : "")
            .String(g.Members > 0 ? "range" : "")
            .Array(Enumerable.Range(0, g.Members).ToArray(), (mw, i) => mw
                .String($"{g.Name}-member-{i}").String($"client-{i}").String("/127.0.0.1").Bytes([]).Bytes([])));
    }

    // DeleteTopics Request (Version: 1) => [topic_names] timeout_ms
    // DeleteTopics Response (Version: 1) => throttle_time_ms [responses]; responses => name error_code
    private void WriteDeleteTopics(WireWriter response, WireReader reader, Listener listener)
    {
        List<string> names = reader.Array(r => r.String());
        reader.Int32();
        var results = new List<(string Name, short Error)>();
        lock (_gate)
        {
            foreach (string name in names)
            {
                short error = listener.Id != ControllerId ? NotController
                    : _topicDeleteErrors.TryGetValue(name, out short injected) ? injected
                    : _topics.Remove(name) ? (short)0
                    : UnknownTopicOrPartition;
                results.Add((name, error));
            }
        }

        response.Int32(0).Array(results, (w, r) => w.String(r.Name).Int16(r.Error));
    }

    // DeleteGroups Request (Version: 1) => [groups_names]
    // DeleteGroups Response (Version: 1) => throttle_time_ms [results]; results => group_id error_code
    private void WriteDeleteGroups(WireWriter response, WireReader reader, Listener listener)
    {
        List<string> names = reader.Array(r => r.String());
        var results = new List<(string Name, short Error)>();
        lock (_gate)
        {
            foreach (string name in names)
            {
                short error = listener.Id != _coordinator ? NotCoordinator
                    : _groupDeleteErrors.TryGetValue(name, out short injected) ? injected
                    : !_groupMembers.TryGetValue(name, out int members) ? GroupIdNotFound
                    : members > 0 ? GroupNotEmpty
                    : (short)0;
                if (error == 0)
                {
                    _groupMembers.Remove(name);
                }

                results.Add((name, error));
            }
        }

        response.Int32(0).Array(results, (w, r) => w.String(r.Name).Int16(r.Error));
    }

    private int ControllerId => _listeners[0].Id;

    private sealed class Listener(int id, TcpListener socket, HashSet<short> apis)
    {
        public int Id { get; } = id;

        public TcpListener Socket { get; } = socket;

        public int Port { get; } = ((IPEndPoint)socket.LocalEndpoint).Port;

        public HashSet<short> Apis { get; } = apis;

        public List<TcpClient> Clients { get; } = [];

        public bool Hidden { get; set; }
    }
}

/// <summary>One request the test broker received: which broker, which API (ApiKey) and version.</summary>
public readonly record struct WireRequest(int Broker, short ApiKey, short Version);
