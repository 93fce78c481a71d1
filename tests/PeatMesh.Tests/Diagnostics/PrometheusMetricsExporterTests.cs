using System.Diagnostics.Metrics;
using PeatMesh.Diagnostics;

namespace PeatMesh.Tests.Diagnostics;

/// <summary>
/// The text exposition format 0.0.4 as the Prometheus documentation ("Exposition formats", text-based format) defines
/// it: HELP/TYPE lines, <c>_total</c> counters, cumulative <c>_bucket{le}</c> with <c>_sum</c>/<c>_count</c>, escaping.
/// Each test uses its own meter, so parallel tests cannot interfere.
/// </summary>
public sealed class PrometheusMetricsExporterTests : IDisposable
{
    private readonly Meter _meter = new("PeatMesh.Tests.Exporter." + Guid.NewGuid().ToString("N"));

    public void Dispose() => _meter.Dispose();

    [Fact]
    public void Collect_Counter_WritesHelpTypeTotalSuffixAndSortedLabels()
    {
        using var exporter = new PrometheusMetricsExporter(_meter);
        var counter = _meter.CreateCounter<long>("test.requests", "{request}", "Requests served.");
        counter.Add(2, new KeyValuePair<string, object?>("b", "2"), new KeyValuePair<string, object?>("a", "1"));
        counter.Add(3, new KeyValuePair<string, object?>("a", "1"), new KeyValuePair<string, object?>("b", "2"));
        counter.Add(1, new KeyValuePair<string, object?>("a", "other"), new KeyValuePair<string, object?>("b", "2"));

        Assert.Equal(
            "# HELP test_requests_total Requests served.\n" +
            "# TYPE test_requests_total counter\n" +
            "test_requests_total{a=\"1\",b=\"2\"} 5\n" +
            "test_requests_total{a=\"other\",b=\"2\"} 1\n",
            exporter.Collect());
    }

    [Fact]
    public void Collect_HistogramWithAdvice_WritesCumulativeBucketsSumAndCount()
    {
        using var exporter = new PrometheusMetricsExporter(_meter);
        var histogram = _meter.CreateHistogram("test.latency", "s", "Latency.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 1] });
        foreach (var value in new[] { 0.05, 0.1, 0.5, 3 })
        {
            histogram.Record(value);
        }

        // Bounds are inclusive upper bounds: 0.1 falls in le="0.1". Name gets _seconds from unit "s".
        Assert.Equal(
            "# HELP test_latency_seconds Latency.\n" +
            "# TYPE test_latency_seconds histogram\n" +
            "test_latency_seconds_bucket{le=\"0.1\"} 2\n" +
            "test_latency_seconds_bucket{le=\"1\"} 3\n" +
            "test_latency_seconds_bucket{le=\"+Inf\"} 4\n" +
            "test_latency_seconds_sum 3.65\n" +
            "test_latency_seconds_count 4\n",
            exporter.Collect());
    }

    [Fact]
    public void Collect_HistogramWithoutAdvice_UsesPrometheusDefaultBucketsAndKeepsLabelsBeforeLe()
    {
        using var exporter = new PrometheusMetricsExporter(_meter);
        var histogram = _meter.CreateHistogram<double>("test.wait", "s");
        histogram.Record(0.2, new KeyValuePair<string, object?>("op", "x"));

        var scrape = PrometheusScrape.Parse(exporter.Collect());

        // The client libraries' default: .005 .01 .025 .05 .1 .25 .5 1 2.5 5 10 and +Inf.
        Assert.Equal(12, scrape.Samples.Keys.Count(k => k.StartsWith("test_wait_seconds_bucket{op=\"x\",le=", StringComparison.Ordinal)));
        Assert.Equal(0, scrape.Value("test_wait_seconds_bucket{op=\"x\",le=\"0.1\"}"));
        Assert.Equal(1, scrape.Value("test_wait_seconds_bucket{op=\"x\",le=\"0.25\"}"));
        Assert.Equal(1, scrape.Value("test_wait_seconds_count{op=\"x\"}"));
        Assert.Equal("test.wait", scrape.Help["test_wait_seconds"]);
    }

    [Fact]
    public void Collect_LabelValuesAndHelp_AreEscaped()
    {
        using var exporter = new PrometheusMetricsExporter(_meter);
        var counter = _meter.CreateCounter<int>("test.escapes", null, "Back\\slash and\nnew line.");
        counter.Add(1, new KeyValuePair<string, object?>("path", "C:\\dir \"quoted\"\nnext"));

        var text = exporter.Collect();

        Assert.Contains("# HELP test_escapes_total Back\\\\slash and\\nnew line.\n", text, StringComparison.Ordinal);
        Assert.Contains("test_escapes_total{path=\"C:\\\\dir \\\"quoted\\\"\\nnext\"} 1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Collect_NamesAndLabelNames_AreSanitized()
    {
        using var exporter = new PrometheusMetricsExporter(_meter);
        _meter.CreateCounter<long>("test-odd.name/x").Add(1, new KeyValuePair<string, object?>("http.route", "/a"));

        Assert.Contains("test_odd_name_x_total{http_route=\"/a\"} 1\n", exporter.Collect(), StringComparison.Ordinal);
    }

    [Fact]
    public void Collect_ObservableGauge_IsReadAtEachCollectAndDroppedSeriesDisappear()
    {
        using var exporter = new PrometheusMetricsExporter(_meter);
        var readings = new List<Measurement<int>> { new(3, new KeyValuePair<string, object?>("state", "a")), new(4, new KeyValuePair<string, object?>("state", "b")) };
        _meter.CreateObservableGauge("test.level", () => readings.ToArray(), null, "Level.");

        var first = PrometheusScrape.Parse(exporter.Collect());
        readings = [new(7, new KeyValuePair<string, object?>("state", "a"))];
        var second = PrometheusScrape.Parse(exporter.Collect());

        Assert.Equal("gauge", first.Types["test_level"]);
        Assert.Equal(3, first.Value("test_level{state=\"a\"}"));
        Assert.Equal(4, first.Value("test_level{state=\"b\"}"));
        Assert.Equal(7, second.Value("test_level{state=\"a\"}"));
        Assert.Null(second.Value("test_level{state=\"b\"}"));
    }

    [Fact]
    public void Collect_UpDownCounterAndObservableCounter_MapToGaugeAndCounter()
    {
        using var exporter = new PrometheusMetricsExporter(_meter);
        var queue = _meter.CreateUpDownCounter<long>("test.queue");
        queue.Add(5);
        queue.Add(-2);
        var total = 10L;
        _meter.CreateObservableCounter("test.ticks", () => total);

        var first = PrometheusScrape.Parse(exporter.Collect());
        total = 12;
        var second = PrometheusScrape.Parse(exporter.Collect());

        Assert.Equal("gauge", first.Types["test_queue"]);
        Assert.Equal(3, first.Value("test_queue"));
        Assert.Equal("counter", first.Types["test_ticks_total"]);
        Assert.Equal(10, first.Value("test_ticks_total"));
        Assert.Equal(12, second.Value("test_ticks_total"));
    }

    [Fact]
    public void Collect_SpecialValues_WrittenAsPrometheusTokens()
    {
        using var exporter = new PrometheusMetricsExporter(_meter);
        _meter.CreateObservableGauge("test.special", () => new[]
        {
            new Measurement<double>(double.NaN, new KeyValuePair<string, object?>("v", "nan")),
            new Measurement<double>(double.PositiveInfinity, new KeyValuePair<string, object?>("v", "pinf")),
            new Measurement<double>(double.NegativeInfinity, new KeyValuePair<string, object?>("v", "ninf")),
            new Measurement<double>(1e-7, new KeyValuePair<string, object?>("v", "tiny")),
        });

        var text = exporter.Collect();

        Assert.Contains("test_special{v=\"nan\"} NaN\n", text, StringComparison.Ordinal);
        Assert.Contains("test_special{v=\"pinf\"} +Inf\n", text, StringComparison.Ordinal);
        Assert.Contains("test_special{v=\"ninf\"} -Inf\n", text, StringComparison.Ordinal);
        Assert.Equal(1e-7, PrometheusScrape.Parse(text).Value("test_special{v=\"tiny\"}"));
    }

    [Fact]
    public void Collect_InstrumentsOfAnotherMeter_AreNotExported()
    {
        using var other = new Meter(_meter.Name + ".other");
        using var exporter = new PrometheusMetricsExporter(_meter);
        other.CreateCounter<long>("test.foreign").Add(1);
        _meter.CreateCounter<long>("test.own").Add(1);

        var text = exporter.Collect();

        Assert.Contains("test_own_total 1\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("test_foreign", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Record_BeyondSeriesLimit_DropsNewLabelSetsAndCountsThem()
    {
        using var exporter = new PrometheusMetricsExporter(_meter);
        var counter = _meter.CreateCounter<long>("test.cardinality");
        for (var i = 0; i < PrometheusMetricsExporter.MaxSeriesPerInstrument + 25; i++)
        {
            counter.Add(1, new KeyValuePair<string, object?>("id", i));
        }

        counter.Add(1, new KeyValuePair<string, object?>("id", 0)); // an existing series still counts

        var scrape = PrometheusScrape.Parse(exporter.Collect());
        Assert.Equal(PrometheusMetricsExporter.MaxSeriesPerInstrument, scrape.Samples.Count);
        Assert.Equal(25, exporter.DroppedMeasurements);
        Assert.Equal(2, scrape.Value("test_cardinality_total{id=\"0\"}"));
    }

    [Fact]
    public async Task Record_ConcurrentAdds_AreAllCounted()
    {
        using var exporter = new PrometheusMetricsExporter(_meter);
        var counter = _meter.CreateCounter<long>("test.concurrent");
        var histogram = _meter.CreateHistogram<double>("test.concurrent.values", null, null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1] });

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                counter.Add(1);
                histogram.Record(0.5);
            }
        })));

        var scrape = PrometheusScrape.Parse(exporter.Collect());
        Assert.Equal(80_000, scrape.Value("test_concurrent_total"));
        Assert.Equal(80_000, scrape.Value("test_concurrent_values_count"));
        Assert.Equal(40_000, scrape.Value("test_concurrent_values_sum"));
    }

    [Fact]
    public void Collect_NothingRecorded_WritesFamilyHeadersOnlyAndEmptyForNoInstruments()
    {
        using var empty = new PrometheusMetricsExporter(_meter);
        Assert.Equal(string.Empty, empty.Collect());

        _meter.CreateCounter<long>("test.idle", null, "Idle.");
        Assert.Equal("# HELP test_idle_total Idle.\n# TYPE test_idle_total counter\n", empty.Collect());
    }

    [Fact]
    public void Collect_AfterDispose_Throws()
    {
        var exporter = new PrometheusMetricsExporter(_meter);
        exporter.Dispose();
        exporter.Dispose();

        Assert.Throws<ObjectDisposedException>(() => exporter.Collect());
    }

    [Fact]
    public void Constructor_NullMeter_Throws() => Assert.Throws<ArgumentNullException>(() => new PrometheusMetricsExporter((Meter)null!));
}
