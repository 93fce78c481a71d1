namespace PeatMesh.Diagnostics;

/// <summary>How an exported instrument's measurements combine into a Prometheus sample.</summary>
internal enum MetricKind
{
    /// <summary>Monotonic sum, exported as <c>counter</c> (Counter adds; ObservableCounter reports the total).</summary>
    Counter,

    /// <summary>Non-monotonic sum (UpDownCounter), exported as <c>gauge</c>.</summary>
    Sum,

    /// <summary>Last value (Gauge, ObservableGauge, ObservableUpDownCounter), exported as <c>gauge</c>.</summary>
    Last,

    /// <summary>Distribution into fixed buckets, exported as <c>histogram</c>.</summary>
    Histogram,
}
