using System.Globalization;

namespace PeatMesh.Benchmarks.Support;

/// <summary>
/// The samples of one Prometheus text exposition (format 0.0.4, as <c>/metrics</c> writes it): series name with its
/// label set (<c>peat_transport_bytes_total{direction="in"}</c>) → value. Comments and malformed lines are skipped.
/// </summary>
/// <remarks>Immutable; thread-safe.</remarks>
public sealed class MetricsText
{
    private readonly IReadOnlyDictionary<string, double> _samples;

    private MetricsText(IReadOnlyDictionary<string, double> samples) => _samples = samples;

    /// <summary>Parses <paramref name="text"/>.</summary>
    public static MetricsText Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith('#'))
            {
                continue;
            }

            // The value follows the last space; label values may hold spaces, but never after the closing brace.
            var space = line.LastIndexOf(' ');
            if (space > 0 && double.TryParse(line[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                samples[line[..space]] = value;
            }
        }

        return new MetricsText(samples);
    }

    /// <summary>
    /// The sum of every series of metric <paramref name="name"/> whose label set contains <paramref name="label"/>
    /// (e.g. <c>direction="in"</c>; null for all series); 0 when there is none.
    /// </summary>
    public double Sum(string name, string? label = null) =>
        _samples.Where(s => (s.Key == name || s.Key.StartsWith(name + "{", StringComparison.Ordinal))
                            && (label is null || s.Key.Contains(label, StringComparison.Ordinal)))
            .Sum(s => s.Value);
}
