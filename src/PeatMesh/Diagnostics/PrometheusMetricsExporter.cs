using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;

namespace PeatMesh.Diagnostics;

/// <summary>
/// Collects <see cref="System.Diagnostics.Metrics"/> measurements with a <see cref="MeterListener"/> and writes them in
/// the Prometheus text exposition format, version 0.0.4 (Prometheus "Exposition formats", text-based format).
/// </summary>
/// <remarks>
/// <para>
/// Translation: a metric name is the instrument name with every character outside <c>[a-zA-Z0-9_:]</c> replaced by
/// <c>_</c>, then <c>_seconds</c> appended for unit <c>s</c> and <c>_total</c> for counters (unless the name already
/// ends so). Counters and observable counters become <c>counter</c>; up-down counters, gauges and observable gauges
/// become <c>gauge</c>; histograms become <c>histogram</c> (<c>_bucket{le=…}</c> cumulative, <c>_sum</c>, <c>_count</c>)
/// with the instrument's advised bucket boundaries, else the Prometheus default (5 ms … 10 s). Tags become labels
/// sorted by name; the instrument description becomes <c>HELP</c>. Observable instruments are read when
/// <see cref="Collect"/> runs.
/// </para>
/// <para>
/// Bounded: an instrument keeps at most <see cref="MaxSeriesPerInstrument"/> label sets; measurements for further
/// label sets are dropped (counted in <see cref="DroppedMeasurements"/>), so a high-cardinality tag cannot exhaust memory.
/// </para>
/// <para>Thread-safe: measurements arrive concurrently from any thread; collections are serialized.</para>
/// </remarks>
public sealed class PrometheusMetricsExporter : IDisposable
{
    /// <summary>The HTTP content type of the text format: <c>text/plain; version=0.0.4; charset=utf-8</c>.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>Most label sets (series) kept per instrument: 1,000.</summary>
    public const int MaxSeriesPerInstrument = 1000;

    private readonly Func<Instrument, bool> _include;
    private readonly MeterListener _listener;
    private readonly ConcurrentDictionary<Instrument, MetricFamily> _families = new();
    private readonly Lock _collectGate = new();
    private long _dropped;
    private volatile bool _disposed;

    /// <summary>Exports the instruments of one meter (e.g. a node's <see cref="MeshMetrics.Meter"/>).</summary>
    /// <param name="meter">The meter.</param>
    /// <exception cref="ArgumentNullException"><paramref name="meter"/> is null.</exception>
    public PrometheusMetricsExporter(Meter meter)
        : this(InstrumentsOf(meter))
    {
    }

    /// <summary>Exports every instrument for which <paramref name="include"/> returns true.</summary>
    /// <param name="include">Selects instruments as they are published; called once per instrument.</param>
    /// <exception cref="ArgumentNullException"><paramref name="include"/> is null.</exception>
    public PrometheusMetricsExporter(Func<Instrument, bool> include)
    {
        ArgumentNullException.ThrowIfNull(include);
        _include = include;
        _listener = new MeterListener
        {
            InstrumentPublished = OnInstrumentPublished,
            MeasurementsCompleted = (instrument, _) => _families.TryRemove(instrument, out MetricFamily? _),
        };
        _listener.SetMeasurementEventCallback<byte>((i, m, t, s) => Record(s, m, t));
        _listener.SetMeasurementEventCallback<short>((i, m, t, s) => Record(s, m, t));
        _listener.SetMeasurementEventCallback<int>((i, m, t, s) => Record(s, m, t));
        _listener.SetMeasurementEventCallback<long>((i, m, t, s) => Record(s, m, t));
        _listener.SetMeasurementEventCallback<float>((i, m, t, s) => Record(s, m, t));
        _listener.SetMeasurementEventCallback<double>((i, m, t, s) => Record(s, m, t));
        _listener.SetMeasurementEventCallback<decimal>((i, m, t, s) => Record(s, (double)m, t));
        _listener.Start();
    }

    /// <summary>Measurements dropped because their instrument already had <see cref="MaxSeriesPerInstrument"/> label sets.</summary>
    public long DroppedMeasurements => Interlocked.Read(ref _dropped);

    /// <summary>
    /// Reads the observable instruments and renders every exported metric family, sorted by name, as text
    /// exposition format 0.0.4 (lines end with <c>\n</c>; the text ends with a newline unless empty).
    /// </summary>
    /// <exception cref="ObjectDisposedException">The exporter was disposed.</exception>
    public string Collect()
    {
        lock (_collectGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            foreach (var family in _families.Values.Where(f => f.Observable))
            {
                family.Clear();
            }

            _listener.RecordObservableInstruments();
            var text = new StringBuilder(4096);
            foreach (var group in _families.Values.GroupBy(f => f.Name, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                WriteFamily(text, [.. group]);
            }

            return text.ToString();
        }
    }

    /// <summary>Stops listening. Idempotent.</summary>
    public void Dispose()
    {
        lock (_collectGate)
        {
            _disposed = true;
        }

        _listener.Dispose();
    }

    private static Func<Instrument, bool> InstrumentsOf(Meter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        return instrument => ReferenceEquals(instrument.Meter, meter);
    }

    private void OnInstrumentPublished(Instrument instrument, MeterListener listener)
    {
        if (!_include(instrument) || MetricFamily.TryCreate(instrument) is not { } family)
        {
            return;
        }

        _families[instrument] = family;
        listener.EnableMeasurementEvents(instrument, family);
    }

    private void Record(object? state, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (state is MetricFamily family && !family.Record(value, tags))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    private static void WriteFamily(StringBuilder text, IReadOnlyList<MetricFamily> families)
    {
        var first = families[0];
        text.Append("# HELP ").Append(first.Name).Append(' ').Append(PrometheusText.EscapeHelp(first.Help)).Append('\n');
        text.Append("# TYPE ").Append(first.Name).Append(' ').Append(first.TypeName).Append('\n');
        var written = new HashSet<string>(StringComparer.Ordinal);
        foreach (var family in families.Where(f => f.Kind == first.Kind))
        {
            foreach (var (labels, series) in family.Snapshot().OrderBy(s => s.Labels, StringComparer.Ordinal))
            {
                if (written.Add(labels))
                {
                    series.WriteTo(text, first.Name, labels);
                }
            }
        }
    }
}
