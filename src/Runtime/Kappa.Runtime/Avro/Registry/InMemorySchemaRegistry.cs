using Kappa.Avro.Schemas;

namespace Kappa.Avro.Registry;

/// <summary>
/// A schema registry held in memory: global ids, versions per subject, equal schemas (the same JSON up to whitespace;
/// not the Parsing Canonical Form, which drops defaults and aliases that matter to resolution) share an id, and registration enforces the subject's compatibility mode (default <see cref="AvroCompatibilityMode.BackwardTransitive"/>,
/// Kappa's default: a replay reads everything ever written). The state an embedded or test registry serves.
/// </summary>
public sealed class InMemorySchemaRegistry : ISchemaRegistry
{
    private readonly object _gate = new();
    private readonly Dictionary<int, string> _schemas = [];
    private readonly Dictionary<string, int> _idsByCanonical = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<RegisteredSchema>> _subjects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AvroCompatibilityMode> _modes = new(StringComparer.Ordinal);
    private int _nextId = 1;

    public InMemorySchemaRegistry(AvroCompatibilityMode defaultMode = AvroCompatibilityMode.BackwardTransitive)
    {
        DefaultMode = defaultMode;
    }

    public AvroCompatibilityMode DefaultMode { get; set; }

    /// <summary>Raised (under the registry's lock) for every new version, so a store can persist it before the id is returned.</summary>
    public event Action<RegisteredSchema>? Registered;

    /// <summary>
    /// Puts back a version read from a store (no compatibility check, no <see cref="Registered"/> event): versions must
    /// come in the order they were registered; ids keep their values and later registrations continue after the largest.
    /// </summary>
    public void Restore(RegisteredSchema registered)
    {
        ArgumentNullException.ThrowIfNull(registered);
        lock (_gate)
        {
            if (!_subjects.TryGetValue(registered.Subject, out List<RegisteredSchema>? versions))
            {
                versions = [];
                _subjects[registered.Subject] = versions;
            }

            if (versions.Any(v => v.Version == registered.Version))
            {
                return; // a compacted topic may still hold an older copy of the same version
            }

            if (registered.Version != versions.Count + 1)
            {
                throw new InvalidOperationException($"Subject '{registered.Subject}': version {registered.Version} restored after {versions.Count} versions.");
            }

            versions.Add(registered);
            _schemas[registered.Id] = registered.Schema;
            _idsByCanonical.TryAdd(Normalize(registered.Schema), registered.Id);
            _nextId = Math.Max(_nextId, registered.Id + 1);
        }
    }

    /// <summary>Sets the compatibility mode of one subject.</summary>
    public void SetMode(string subject, AvroCompatibilityMode mode)
    {
        lock (_gate)
        {
            _modes[subject] = mode;
        }
    }

    public AvroCompatibilityMode GetMode(string subject)
    {
        lock (_gate)
        {
            return _modes.TryGetValue(subject, out AvroCompatibilityMode mode) ? mode : DefaultMode;
        }
    }

    /// <summary>Subjects with at least one version, in registration order.</summary>
    public IReadOnlyList<string> Subjects
    {
        get
        {
            lock (_gate)
            {
                return _subjects.Where(s => s.Value.Count > 0).Select(s => s.Key).ToArray();
            }
        }
    }

    /// <summary>The version of <paramref name="subject"/> holding <paramref name="schema"/> (same JSON up to whitespace), or null.</summary>
    public RegisteredSchema? Lookup(string subject, string schema)
    {
        string normalized = Normalize(schema);
        lock (_gate)
        {
            return _subjects.TryGetValue(subject, out List<RegisteredSchema>? versions)
                ? versions.FirstOrDefault(v => Normalize(v.Schema) == normalized)
                : null;
        }
    }

    public ValueTask<string?> GetSchemaAsync(int id, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_schemas.TryGetValue(id, out string? schema) ? schema : null);
        }
    }

    public ValueTask<IReadOnlyList<RegisteredSchema>> GetVersionsAsync(string subject, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<RegisteredSchema> versions = _subjects.TryGetValue(subject, out List<RegisteredSchema>? list) ? list.ToArray() : [];
            return ValueTask.FromResult(versions);
        }
    }

    public ValueTask<int> RegisterAsync(string subject, string schema, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        AvroSchema parsed = AvroSchemaParser.Parse(schema);
        string canonical = Normalize(schema);
        lock (_gate)
        {
            if (!_subjects.TryGetValue(subject, out List<RegisteredSchema>? versions))
            {
                versions = [];
                _subjects[subject] = versions;
            }

            foreach (RegisteredSchema existing in versions)
            {
                if (Normalize(existing.Schema) == canonical)
                {
                    return ValueTask.FromResult(existing.Id);
                }
            }

            AvroCompatibilityMode mode = _modes.TryGetValue(subject, out AvroCompatibilityMode m) ? m : DefaultMode;
            IReadOnlyList<AvroCompatibilityViolation> violations =
                AvroCompatibility.Check(parsed, versions.Select(v => AvroSchemaParser.Parse(v.Schema)).ToArray(), mode);
            if (violations.Count > 0)
            {
                throw new SchemaIncompatibleException(
                    subject,
                    $"Schema for subject '{subject}' is not {AvroCompatibility.ModeName(mode)} compatible: {string.Join("; ", violations)}");
            }

            if (!_idsByCanonical.TryGetValue(canonical, out int id))
            {
                id = _nextId++;
                _idsByCanonical[canonical] = id;
                _schemas[id] = schema;
            }

            var added = new RegisteredSchema(subject, versions.Count + 1, id, schema);
            versions.Add(added);
            Registered?.Invoke(added); // under the lock: persisted versions keep their order
            return ValueTask.FromResult(id);
        }
    }

    /// <summary>The schema JSON without insignificant whitespace (the identity of a registered schema).</summary>
    internal static string Normalize(string schema) => System.Text.Json.Nodes.JsonNode.Parse(schema)!.ToJsonString();
}
