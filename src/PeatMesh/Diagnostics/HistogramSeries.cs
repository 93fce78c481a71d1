using System.Text;

namespace PeatMesh.Diagnostics;

/// <summary>
/// A histogram series: counts per bucket (upper bounds inclusive, plus an overflow bucket) and the sum of values.
/// Written as cumulative <c>_bucket{le=…}</c> lines ending with <c>le="+Inf"</c>, then <c>_sum</c> and <c>_count</c>.
/// </summary>
/// <remarks>Thread-safe. The <c>+Inf</c> bucket and <c>_count</c> are computed from the same bucket reads, so they always agree.</remarks>
internal sealed class HistogramSeries : MetricSeries
{
    private readonly double[] _bounds;
    private readonly long[] _counts;
    private double _sum;

    /// <summary>Creates the series with sorted, finite upper bounds.</summary>
    public HistogramSeries(double[] bounds)
    {
        _bounds = bounds;
        _counts = new long[bounds.Length + 1];
    }

    /// <summary>Counts one value in the first bucket whose bound is ≥ the value (NaN is counted in the overflow bucket only).</summary>
    public void Observe(double value)
    {
        var index = double.IsNaN(value) ? _bounds.Length : Array.BinarySearch(_bounds, value);
        if (index < 0)
        {
            index = ~index;
        }

        Interlocked.Increment(ref _counts[index]);
        if (!double.IsNaN(value))
        {
            AddAtomic(ref _sum, value);
        }
    }

    /// <inheritdoc />
    public override void WriteTo(StringBuilder text, string name, string labels)
    {
        var separator = labels.Length > 0 ? "," : string.Empty;
        long cumulative = 0;
        for (var i = 0; i <= _bounds.Length; i++)
        {
            cumulative += Interlocked.Read(ref _counts[i]);
            var bound = i < _bounds.Length ? PrometheusText.Number(_bounds[i]) : "+Inf";
            text.Append(name).Append("_bucket{").Append(labels).Append(separator).Append("le=\"").Append(bound).Append("\"} ")
                .Append(cumulative).Append('\n');
        }

        var braces = labels.Length > 0 ? "{" + labels + "}" : string.Empty;
        text.Append(name).Append("_sum").Append(braces).Append(' ').Append(PrometheusText.Number(Volatile.Read(ref _sum))).Append('\n');
        text.Append(name).Append("_count").Append(braces).Append(' ').Append(cumulative).Append('\n');
    }
}
