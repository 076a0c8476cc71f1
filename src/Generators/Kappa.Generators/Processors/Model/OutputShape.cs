namespace Kappa.Generators.Processors.Model;

/// <summary>How a handler returns its outputs.</summary>
public enum OutputShape
{
    /// <summary>void: no outputs.</summary>
    None,

    /// <summary>TOut or TOut? (null means no output).</summary>
    Single,

    /// <summary>TOut[].</summary>
    Array,

    /// <summary>List&lt;TOut&gt;.</summary>
    List,

    /// <summary>IReadOnlyList&lt;TOut&gt; or IList&lt;TOut&gt;: indexed without an enumerator.</summary>
    IndexedList,

    /// <summary>IEnumerable&lt;TOut&gt; (or another collection interface): enumerated.</summary>
    Enumerable,
}
