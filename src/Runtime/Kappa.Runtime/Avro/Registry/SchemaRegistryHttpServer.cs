using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kappa.Avro.Schemas;

namespace Kappa.Avro.Registry;

/// <summary>
/// Serves an <see cref="InMemorySchemaRegistry"/> over HTTP on loopback with the REST endpoints Confluent's
/// <c>CachedSchemaRegistryClient</c> and serdes use: register (<c>POST subjects/{s}/versions</c>), lookup
/// (<c>POST subjects/{s}</c>), get by id (<c>GET schemas/ids/{id}</c>), versions and latest
/// (<c>GET subjects/{s}/versions[/latest|/{v}]</c>), subjects (<c>GET subjects</c>), compatibility check
/// (<c>POST compatibility/subjects/{s}/versions/{latest|v}</c>), config (<c>GET</c>/<c>PUT config[/{s}]</c>), and an
/// empty association list (Confluent's AvroSerializer 2.16 asks for associations first and falls back to the topic
/// subject). Errors use the registry's JSON shape (<c>error_code</c>, <c>message</c>).
/// </summary>
public sealed class SchemaRegistryHttpServer : IAsyncDisposable
{
    private const string ContentType = "application/vnd.schemaregistry.v1+json";

    private readonly InMemorySchemaRegistry _registry;
    private readonly HttpListener _listener;
    private readonly Task _loop;

    private SchemaRegistryHttpServer(InMemorySchemaRegistry registry, int port)
    {
        _registry = registry;
        Url = $"http://127.0.0.1:{port}";
        _listener = new HttpListener();
        _listener.Prefixes.Add(Url + "/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    /// <summary>The base URL (<c>http://127.0.0.1:{port}</c>) to give to registry clients.</summary>
    public string Url { get; }

    /// <summary>Starts serving <paramref name="registry"/> on a free loopback port (or <paramref name="port"/>).</summary>
    public static SchemaRegistryHttpServer Start(InMemorySchemaRegistry registry, int port = 0)
    {
        ArgumentNullException.ThrowIfNull(registry);
        if (port != 0)
        {
            return new SchemaRegistryHttpServer(registry, port);
        }

        // HttpListener cannot bind port 0, so a free port is probed first; another process may take it before the
        // listener binds, so a few fresh ports are tried.
        for (int attempt = 1; ; attempt++)
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            int free = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            try
            {
                return new SchemaRegistryHttpServer(registry, free);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Close alone: on Unix, Stop followed by Close unregisters the prefixes twice, and the second time the managed
        // HttpListener binds the port again to find its endpoint, failing with "Address already in use" when another
        // process took the port in between.
        _listener.Close();
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return; // stopped
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        int status;
        JsonNode? body;
        try
        {
            string requestBody;
            using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
            {
                requestBody = await reader.ReadToEndAsync().ConfigureAwait(false);
            }

            string[] path = context.Request.Url!.AbsolutePath.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
            (status, body) = await RouteAsync(context.Request.HttpMethod, path, requestBody).ConfigureAwait(false);
        }
        catch (SchemaIncompatibleException e)
        {
            (status, body) = Error(409, 409, e.Message);
        }
        catch (AvroSchemaException e)
        {
            (status, body) = Error(422, 42201, "Invalid schema: " + e.Message);
        }
        catch (Exception e) when (e is JsonException or FormatException or KeyNotFoundException)
        {
            (status, body) = Error(422, 42200, "Invalid request: " + e.Message);
        }

        byte[] bytes = Encoding.UTF8.GetBytes(body?.ToJsonString() ?? "null");
        context.Response.StatusCode = status;
        context.Response.ContentType = ContentType;
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
        context.Response.Close();
    }

    private static (int, JsonNode?) Error(int status, int code, string message) =>
        (status, new JsonObject { ["error_code"] = code, ["message"] = message });

    private static (int, JsonNode?) Ok(JsonNode? body) => (200, body);

    private static string SchemaOf(string requestBody)
    {
        JsonNode request = JsonNode.Parse(requestBody) ?? throw new FormatException("empty body");
        if (request["schemaType"] is JsonNode type && type.GetValue<string>() != "AVRO")
        {
            throw new FormatException($"schema type {type.GetValue<string>()} is not supported (only AVRO)");
        }

        return request["schema"]?.GetValue<string>() ?? throw new FormatException("no \"schema\" in the request");
    }

    private static JsonObject Describe(RegisteredSchema s) =>
        new() { ["subject"] = s.Subject, ["version"] = s.Version, ["id"] = s.Id, ["schema"] = s.Schema };

    private async Task<(int, JsonNode?)> RouteAsync(string method, string[] p, string requestBody)
    {
        switch (method, p.Length > 0 ? p[0] : string.Empty)
        {
            case ("GET", "schemas") when p.Length == 3 && p[1] == "ids" && int.TryParse(p[2], out int id):
                string? schema = await _registry.GetSchemaAsync(id).ConfigureAwait(false);
                return schema is null ? Error(404, 40403, $"Schema {id} not found") : Ok(new JsonObject { ["schema"] = schema });
            case ("GET", "subjects") when p.Length == 1:
                return Ok(new JsonArray(_registry.Subjects.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray()));
            case ("POST", "subjects") when p.Length == 3 && p[2] == "versions":
                int newId = await _registry.RegisterAsync(p[1], SchemaOf(requestBody)).ConfigureAwait(false);
                return Ok(new JsonObject { ["id"] = newId });
            case ("POST", "subjects") when p.Length == 2:
                if (_registry.Subjects.Contains(p[1]) is false)
                {
                    return Error(404, 40401, $"Subject '{p[1]}' not found.");
                }

                RegisteredSchema? found = _registry.Lookup(p[1], SchemaOf(requestBody));
                return found is null ? Error(404, 40403, "Schema not found") : Ok(Describe(found));
            case ("GET", "subjects") when p.Length >= 3 && p[2] == "versions":
                IReadOnlyList<RegisteredSchema> versions = await _registry.GetVersionsAsync(p[1]).ConfigureAwait(false);
                if (versions.Count == 0)
                {
                    return Error(404, 40401, $"Subject '{p[1]}' not found.");
                }

                if (p.Length == 3)
                {
                    return Ok(new JsonArray(versions.Select(v => (JsonNode?)JsonValue.Create(v.Version)).ToArray()));
                }

                RegisteredSchema? version = FindVersion(versions, p[3]);
                return version is null ? Error(404, 40402, $"Version {p[3]} not found.") : Ok(Describe(version));
            case ("POST", "compatibility") when p.Length == 5 && p[1] == "subjects" && p[3] == "versions":
                IReadOnlyList<RegisteredSchema> all = await _registry.GetVersionsAsync(p[2]).ConfigureAwait(false);
                RegisteredSchema? against = FindVersion(all, p[4]);
                if (against is null)
                {
                    return all.Count == 0 && p[4] == "latest"
                        ? Ok(new JsonObject { ["is_compatible"] = true })
                        : Error(404, 40402, $"Version {p[4]} of subject '{p[2]}' not found.");
                }

                AvroCompatibilityMode mode = NonTransitive(_registry.GetMode(p[2]));
                bool compatible = AvroCompatibility.Check(AvroSchemaParser.Parse(SchemaOf(requestBody)), [AvroSchemaParser.Parse(against.Schema)], mode).Count == 0;
                return Ok(new JsonObject { ["is_compatible"] = compatible });
            case ("GET", "config") when p.Length <= 2:
                AvroCompatibilityMode current = p.Length == 1 ? _registry.DefaultMode : _registry.GetMode(p[1]);
                return Ok(new JsonObject { ["compatibilityLevel"] = AvroCompatibility.ModeName(current) });
            case ("PUT", "config") when p.Length <= 2:
                string name = JsonNode.Parse(requestBody)?["compatibility"]?.GetValue<string>() ?? throw new FormatException("no \"compatibility\" in the request");
                AvroCompatibilityMode level = AvroCompatibility.ParseMode(name) ?? throw new FormatException($"unknown compatibility level '{name}'");
                if (p.Length == 1)
                {
                    _registry.DefaultMode = level;
                }
                else
                {
                    _registry.SetMode(p[1], level);
                }

                return Ok(new JsonObject { ["compatibility"] = AvroCompatibility.ModeName(level) });
            case ("GET", _) when p.Contains("associations"):
                return Ok(new JsonArray());
            default:
                return Error(404, 404, $"{method} /{string.Join('/', p)} is not served by Kappa's schema registry.");
        }
    }

    private static RegisteredSchema? FindVersion(IReadOnlyList<RegisteredSchema> versions, string version) =>
        version is "latest" or "-1" ? versions.LastOrDefault()
        : int.TryParse(version, out int v) ? versions.FirstOrDefault(x => x.Version == v)
        : null;

    private static AvroCompatibilityMode NonTransitive(AvroCompatibilityMode mode) => mode switch
    {
        AvroCompatibilityMode.BackwardTransitive => AvroCompatibilityMode.Backward,
        AvroCompatibilityMode.ForwardTransitive => AvroCompatibilityMode.Forward,
        AvroCompatibilityMode.FullTransitive => AvroCompatibilityMode.Full,
        _ => mode,
    };
}
