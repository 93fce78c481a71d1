namespace PeatMesh.Diagnostics;

/// <summary>
/// The fixed histogram bucket boundaries (upper bounds, inclusive) of the node's histograms, given to each
/// instrument as <see cref="System.Diagnostics.Metrics.InstrumentAdvice{T}"/> so that every exporter (the built-in
/// Prometheus writer, an OpenTelemetry SDK) uses the same ones. docs/observability.md lists them.
/// </summary>
/// <remarks>Immutable; thread-safe.</remarks>
internal static class MetricBuckets
{
    /// <summary>
    /// Broker request durations in seconds: 1 ms to 10 s. A local read takes about a millisecond; a durable write a
    /// few (one fsync); anything beyond 10 s is a stuck request.
    /// </summary>
    public static readonly double[] HttpDurationSeconds = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>
    /// Durable write latency (enqueue to commit) in seconds: 0.5 ms to 2.5 s. A group commit with
    /// <c>synchronous=FULL</c> costs one fsync (sub-millisecond on NVMe, tens of milliseconds on SD cards).
    /// </summary>
    public static readonly double[] StorageWriteSeconds = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

    /// <summary>Heartbeat round-trip times in seconds: 0.5 ms (loopback) to 5 s (a degraded radio link).</summary>
    public static readonly double[] RoundTripSeconds = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

    /// <summary>Writes per group commit: powers of two up to 1,024 (the store's default maximum batch).</summary>
    public static readonly double[] BatchSize = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];

    /// <summary>
    /// Boundaries the Prometheus writer uses for a histogram that gives no advice: the Prometheus client libraries'
    /// default (5 ms to 10 s), suited to durations in seconds.
    /// </summary>
    public static readonly double[] Default = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
}
