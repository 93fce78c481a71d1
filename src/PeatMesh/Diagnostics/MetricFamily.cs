using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace PeatMesh.Diagnostics;

/// <summary>
/// One exported instrument: its Prometheus name, type and HELP text, and its series (one per label set), bounded by
/// <see cref="PrometheusMetricsExporter.MaxSeriesPerInstrument"/>.
/// </summary>
/// <remarks>Thread-safe: series are created and updated concurrently; <see cref="Clear"/> runs under the exporter's collect lock.</remarks>
internal sealed class MetricFamily
{
    private readonly ConcurrentDictionary<string, MetricSeries> _series = new(StringComparer.Ordinal);
    private readonly double[]? _bounds;

    private MetricFamily(string name, string help, MetricKind kind, bool observable, double[]? bounds)
    {
        Name = name;
        Help = help;
        Kind = kind;
        Observable = observable;
        _bounds = bounds;
    }

    /// <summary>The Prometheus metric name (with <c>_seconds</c> / <c>_total</c> suffixes).</summary>
    public string Name { get; }

    /// <summary>The HELP text (unescaped).</summary>
    public string Help { get; }

    /// <summary>How measurements combine.</summary>
    public MetricKind Kind { get; }

    /// <summary>Whether the instrument is observable (its series are replaced at every collection).</summary>
    public bool Observable { get; }

    /// <summary>The Prometheus TYPE: counter, gauge or histogram.</summary>
    public string TypeName => Kind switch
    {
        MetricKind.Counter => "counter",
        MetricKind.Histogram => "histogram",
        _ => "gauge",
    };

    /// <summary>The family for <paramref name="instrument"/>, or null for an instrument kind this exporter does not know.</summary>
    public static MetricFamily? TryCreate(Instrument instrument)
    {
        var definition = instrument.GetType().IsGenericType ? instrument.GetType().GetGenericTypeDefinition() : null;
        MetricKind kind;
        if (definition == typeof(Counter<>) || definition == typeof(ObservableCounter<>))
        {
            kind = MetricKind.Counter;
        }
        else if (definition == typeof(UpDownCounter<>))
        {
            kind = MetricKind.Sum;
        }
        else if (definition == typeof(ObservableUpDownCounter<>) || definition == typeof(ObservableGauge<>) || definition == typeof(Gauge<>))
        {
            kind = MetricKind.Last;
        }
        else if (definition == typeof(Histogram<>))
        {
            kind = MetricKind.Histogram;
        }
        else
        {
            return null;
        }

        var name = PrometheusText.MetricName(instrument.Name);
        if (instrument.Unit == "s" && !name.EndsWith("_seconds", StringComparison.Ordinal))
        {
            name += "_seconds";
        }

        if (kind == MetricKind.Counter && !name.EndsWith("_total", StringComparison.Ordinal))
        {
            name += "_total";
        }

        var bounds = kind == MetricKind.Histogram ? Bounds(instrument) : null;
        return new MetricFamily(name, string.IsNullOrEmpty(instrument.Description) ? instrument.Name : instrument.Description, kind,
            instrument.IsObservable, bounds);
    }

    /// <summary>Applies one measurement; false when it was dropped because the series limit is reached.</summary>
    public bool Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = PrometheusText.Labels(tags);
        if (!_series.TryGetValue(labels, out var series))
        {
            if (_series.Count >= PrometheusMetricsExporter.MaxSeriesPerInstrument)
            {
                return false;
            }

            series = _series.GetOrAdd(labels, _ => Kind == MetricKind.Histogram ? new HistogramSeries(_bounds!) : new ValueSeries());
        }

        switch (Kind)
        {
            case MetricKind.Histogram:
                ((HistogramSeries)series).Observe(value);
                break;
            case MetricKind.Last:
                ((ValueSeries)series).Set(value);
                break;
            case MetricKind.Counter when Observable:
                ((ValueSeries)series).Set(value);
                break;
            default:
                ((ValueSeries)series).Add(value);
                break;
        }

        return true;
    }

    /// <summary>Forgets every series (before an observable instrument is read again).</summary>
    public void Clear() => _series.Clear();

    /// <summary>The current series with their label lists.</summary>
    public IEnumerable<(string Labels, MetricSeries Series)> Snapshot() => _series.Select(p => (p.Key, p.Value));

    private static double[] Bounds(Instrument instrument)
    {
        IEnumerable<double>? advised = instrument switch
        {
            Instrument<double> d => d.Advice?.HistogramBucketBoundaries,
            Instrument<float> f => f.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
            Instrument<long> l => l.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
            Instrument<int> i => i.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
            Instrument<short> s => s.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
            Instrument<byte> b => b.Advice?.HistogramBucketBoundaries?.Select(v => (double)v),
            Instrument<decimal> m => m.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
            _ => null,
        };
        var bounds = (advised ?? MetricBuckets.Default).Where(b => !double.IsNaN(b) && !double.IsInfinity(b)).Distinct().Order().ToArray();
        return bounds.Length > 0 ? bounds : MetricBuckets.Default;
    }
}
