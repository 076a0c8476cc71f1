namespace Kappa.Lifecycle;

/// <summary>
/// Retire recorded the version as Retired but could not delete all of its artefacts: <see cref="NotDeleted"/> says
/// exactly which and why, <see cref="Deleted"/> what went. Running retire again deletes what is left (it plans from
/// what still exists).
/// </summary>
public sealed class RetireIncompleteException : Exception
{
    public RetireIncompleteException(string processor, int version, IReadOnlyList<string> deleted, IReadOnlyList<RetireFailure> notDeleted)
        : base(Describe(processor, version, deleted, notDeleted), notDeleted.FirstOrDefault()?.Error)
    {
        Processor = processor;
        Version = version;
        Deleted = deleted;
        NotDeleted = notDeleted;
    }

    public string Processor { get; }

    public int Version { get; }

    /// <summary>What was deleted, e.g. <c>topic 'sales.v1'</c>.</summary>
    public IReadOnlyList<string> Deleted { get; }

    public IReadOnlyList<RetireFailure> NotDeleted { get; }

    private static string Describe(string processor, int version, IReadOnlyList<string> deleted, IReadOnlyList<RetireFailure> notDeleted) =>
        $"Retire of {processor}.v{version} is incomplete; not deleted: {string.Join("; ", notDeleted.Select(f => $"{f.Artefact} ({f.Error.Message})"))}. "
        + $"Deleted: {(deleted.Count == 0 ? "nothing" : string.Join(", ", deleted))}. "
        + $"{processor}.v{version} is recorded as Retired; run retire again to delete the rest once the cause is fixed.";
}

/// <summary>An artefact retire could not delete (e.g. <c>consumer group 'amounts.v1'</c>) and the error.</summary>
public sealed record RetireFailure(string Artefact, Exception Error);
