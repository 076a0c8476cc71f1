using Kappa.Avro;
using Kappa.Processing;
using Kappa.Transport;

namespace Kappa.Testing;

/// <summary>
/// The test driver for one generated processor type. <c>new KappaTestDriver&lt;EnrichOrders&gt;(() =&gt; new EnrichOrders())</c>
/// starts it; see <see cref="KappaTestDriver"/> for piping and reading, and docs/testing.md.
/// </summary>
public sealed class KappaTestDriver<TProcessor> : KappaTestDriver
    where TProcessor : class, IStreamProcessor<TProcessor>
{
    private readonly Func<TProcessor> _factory;

    /// <param name="factory">Creates the processor: once per start (construction and each <see cref="KappaTestDriver.Restart"/>) and twice per determinism check.</param>
    /// <param name="options">Storage, input partitions, start time and the runner's options.</param>
    public KappaTestDriver(Func<TProcessor> factory, KappaTestDriverOptions? options = null)
        : base(TProcessor.KappaDescriptor, options)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _factory = factory;
        try
        {
            StartRunner();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs the processor twice more over everything piped so far, each time from empty state with its outputs kept in
    /// memory (<see cref="DeterminismCheck"/>), and compares outputs and final state per key.
    /// </summary>
    public DeterminismReport CheckDeterminism()
    {
        Process();
        return DeterminismCheck.Run(_factory, Transport, schemaRegistry: SchemaRegistry);
    }

    /// <summary>Throws <see cref="KappaTestException"/> naming the first differing key unless <see cref="CheckDeterminism"/> finds both runs equal.</summary>
    public DeterminismReport AssertDeterministic()
    {
        DeterminismReport report = CheckDeterminism();
        return report.IsDeterministic ? report : throw new KappaTestException(report.ToString());
    }

    /// <summary>
    /// Runs two versions of a processor over the same input (<paramref name="feed"/> pipes it, once into each) and
    /// compares the outputs of <paramref name="sink"/> per key: the keys whose output sequences differ, in key order.
    /// </summary>
    public static OutputDiff<TOut> CompareWith<TOther, TOut>(
        Func<TProcessor> current,
        Func<TOther> other,
        string sink,
        Action<KappaTestDriver> feed,
        KappaTestDriverOptions? options = null)
        where TOther : class, IStreamProcessor<TOther>
        where TOut : IAvroRecord<TOut>
    {
        ArgumentNullException.ThrowIfNull(feed);
        IReadOnlyList<TestRecord<TOut>> before;
        IReadOnlyList<TestRecord<TOut>> after;
        using (var first = new KappaTestDriver<TProcessor>(current, options))
        {
            feed(first);
            before = first.ReadOutputs<TOut>(sink);
        }

        using (var second = new KappaTestDriver<TOther>(other, options))
        {
            feed(second);
            after = second.ReadOutputs<TOut>(sink);
        }

        return OutputDiff<TOut>.Compute(before, after);
    }

    private protected override ProcessorRunner CreateRunner(IKappaTransport transport) =>
        ProcessorRunner.Create(_factory(), transport, Options.Processor);
}
