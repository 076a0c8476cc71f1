using Kappa.Log.Storage;
using Kappa.Transport;

namespace Kappa.Log.Transport;

/// <summary>
/// In-process consumer groups: members join with their topics, partitions are spread with Kafka's range strategy
/// (per topic, contiguous ranges over members in join order), and moved cooperatively: a partition changes owner only
/// after its previous owner released it on its own thread (so two members never read it at once).
/// </summary>
internal sealed class GroupCoordinator
{
    private readonly EmbeddedLog _log;
    private readonly LogSignal _signal;
    private readonly object _lock = new();
    private readonly Dictionary<string, Group> _groups = new(StringComparer.Ordinal);
    private long _version;

    public GroupCoordinator(EmbeddedLog log, LogSignal signal)
    {
        _log = log;
        _signal = signal;
    }

    /// <summary>Changes whenever any group's targets or owners change; members poll only when it moved.</summary>
    public long Version => Volatile.Read(ref _version);

    public void Join(string groupId, object member, IReadOnlyCollection<string> topics)
    {
        lock (_lock)
        {
            if (!_groups.TryGetValue(groupId, out Group? group))
            {
                group = new Group();
                _groups[groupId] = group;
            }

            int index = group.Members.FindIndex(m => ReferenceEquals(m.Owner, member));
            if (index >= 0)
            {
                group.Members[index].Topics = topics.ToHashSet(StringComparer.Ordinal);
            }
            else
            {
                group.Members.Add(new Member(member) { Topics = topics.ToHashSet(StringComparer.Ordinal) });
            }

            Rebalance(group);
            _version++;
        }

        _signal.Pulse();
    }

    /// <summary>Removes the member; its partitions become free for the others.</summary>
    public void Leave(string groupId, object member)
    {
        lock (_lock)
        {
            if (!_groups.TryGetValue(groupId, out Group? group))
            {
                return;
            }

            group.Members.RemoveAll(m => ReferenceEquals(m.Owner, member));
            foreach (TopicPartition tp in group.Owners.Where(kv => ReferenceEquals(kv.Value, member)).Select(kv => kv.Key).ToList())
            {
                group.Owners.Remove(tp);
            }

            if (group.Members.Count == 0)
            {
                _groups.Remove(groupId);
            }
            else
            {
                Rebalance(group);
            }

            _version++;
        }

        _signal.Pulse();
    }

    /// <summary>True when the group has at least one member (a consumer subscribed to it).</summary>
    public bool HasMembers(string groupId)
    {
        lock (_lock)
        {
            return _groups.TryGetValue(groupId, out Group? group) && group.Members.Count > 0;
        }
    }

    /// <summary>Topics were created or changed: recompute every group's targets.</summary>
    public void TopicsChanged()
    {
        lock (_lock)
        {
            foreach (Group g in _groups.Values)
            {
                Rebalance(g);
            }

            _version++;
        }

        _signal.Pulse();
    }

    /// <summary>
    /// Called by a member on its own thread: the partitions it must give up (now released) and the free partitions it
    /// may take (now owned).
    /// </summary>
    public void Poll(string groupId, object member, List<TopicPartition> revoke, List<TopicPartition> assign)
    {
        bool released = false;
        lock (_lock)
        {
            if (!_groups.TryGetValue(groupId, out Group? group))
            {
                return;
            }

            foreach ((TopicPartition tp, object owner) in group.Owners.ToList())
            {
                if (ReferenceEquals(owner, member) && (!group.Targets.TryGetValue(tp, out object? target) || !ReferenceEquals(target, member)))
                {
                    group.Owners.Remove(tp);
                    revoke.Add(tp);
                    released = true;
                    _version++;
                }
            }

            foreach ((TopicPartition tp, object target) in group.Targets)
            {
                if (ReferenceEquals(target, member) && !group.Owners.ContainsKey(tp))
                {
                    group.Owners[tp] = member;
                    assign.Add(tp);
                    _version++;
                }
            }
        }

        if (released)
        {
            _signal.Pulse();
        }

        revoke.Sort(Compare);
        assign.Sort(Compare);
    }

    private static int Compare(TopicPartition a, TopicPartition b)
    {
        int c = string.CompareOrdinal(a.Topic, b.Topic);
        return c != 0 ? c : a.Partition.CompareTo(b.Partition);
    }

    private void Rebalance(Group group)
    {
        group.Targets.Clear();
        IEnumerable<string> topics = group.Members.SelectMany(m => m.Topics).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (string topic in topics)
        {
            if (!_log.TryGetPartitions(topic, out PartitionLog[] partitions))
            {
                continue;
            }

            List<Member> members = group.Members.Where(m => m.Topics.Contains(topic)).ToList();
            int n = partitions.Length;
            int perMember = n / members.Count;
            int extra = n % members.Count;
            int next = 0;
            for (int i = 0; i < members.Count; i++)
            {
                int count = perMember + (i < extra ? 1 : 0);
                for (int j = 0; j < count; j++)
                {
                    group.Targets[new TopicPartition(topic, next++)] = members[i].Owner;
                }
            }
        }
    }

    private sealed class Group
    {
        public List<Member> Members { get; } = new();

        public Dictionary<TopicPartition, object> Targets { get; } = new();

        public Dictionary<TopicPartition, object> Owners { get; } = new();
    }

    private sealed class Member(object owner)
    {
        public object Owner { get; } = owner;

        public HashSet<string> Topics { get; set; } = new(StringComparer.Ordinal);
    }
}
