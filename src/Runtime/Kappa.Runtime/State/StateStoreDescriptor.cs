using Kappa.Naming;

namespace Kappa.State;

/// <summary>
/// One state store of a processor version: its name, the state type and its compacted changelog topic
/// <c>{processor}.v{N}.{store}-changelog</c> (named by <see cref="KappaNames.Changelog"/>). The generator emits one per
/// distinct store its handlers use.
/// </summary>
public sealed class StateStoreDescriptor
{
    private readonly Func<IStateStore> _factory;

    private StateStoreDescriptor(string name, string changelogTopic, Type stateType, Func<IStateStore> factory)
    {
        Name = name;
        ChangelogTopic = changelogTopic;
        StateType = stateType;
        _factory = factory;
    }

    /// <summary>The store name (a handler's state parameter name, or <see cref="StateStoreAttribute.Name"/>).</summary>
    public string Name { get; }

    /// <summary>The compacted changelog topic; it has as many partitions as the processor's inputs.</summary>
    public string ChangelogTopic { get; }

    public Type StateType { get; }

    /// <summary>Describes store <paramref name="store"/> of processor <paramref name="processor"/> version <paramref name="version"/>.</summary>
    public static StateStoreDescriptor Create<TState>(string processor, int version, string store)
        where TState : IProcessorState<TState> =>
        new(store, KappaNames.Changelog(processor, version, store), typeof(TState), static () => new KeyValueStore<TState>());

    /// <summary>A new, empty store for one partition.</summary>
    public IStateStore CreateStore() => _factory();

    public override string ToString() => $"{Name} ({StateType.Name}) -> {ChangelogTopic}";
}
