using System.Diagnostics;
using Kappa.Processing;

namespace Kappa.Runtime.Tests.Processing;

/// <summary>An <see cref="ActivityListener"/> on the Kappa source and <see cref="TestSource"/> that keeps every stopped span.</summary>
internal sealed class SpanCollector : IDisposable
{
    public static readonly ActivitySource TestSource = new("Kappa.Runtime.Tests");

    private readonly ActivityListener _listener;
    private readonly List<Activity> _spans = new();

    public SpanCollector()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is KappaTracing.ActivitySourceName or "Kappa.Runtime.Tests",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (_spans)
                {
                    _spans.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public IReadOnlyList<Activity> Spans
    {
        get
        {
            lock (_spans)
            {
                return _spans.ToList();
            }
        }
    }

    public IReadOnlyList<Activity> Named(string name) => Spans.Where(s => s.DisplayName == name).ToList();

    public void Dispose() => _listener.Dispose();
}
