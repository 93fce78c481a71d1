using System.Text.RegularExpressions;

namespace PeatMesh.Node.Tests.Deployment;

/// <summary>The metric contract: the table under "### Metric contract" in docs/deployment.md (name, type, labels).</summary>
internal sealed partial class MetricContract
{
    private MetricContract(IReadOnlyDictionary<string, (string Type, IReadOnlySet<string> Labels)> metrics) => Metrics = metrics;

    public IReadOnlyDictionary<string, (string Type, IReadOnlySet<string> Labels)> Metrics { get; }

    /// <summary>The contract table of docs/deployment.md.</summary>
    public static MetricContract Load() => Load("deployment.md", "### Metric contract");

    /// <summary>
    /// The first Markdown table after the line <paramref name="heading"/> in docs/<paramref name="document"/>: backticked
    /// name in the first column, type in the second, backticked labels (and, in observability.md, label values) in the third.
    /// </summary>
    public static MetricContract Load(string document, string heading)
    {
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.RepoRoot, "docs", document));
        var start = Array.IndexOf(lines, heading);
        if (start < 0)
        {
            throw new InvalidOperationException($"docs/{document} has no '{heading}' section");
        }

        var metrics = new Dictionary<string, (string, IReadOnlySet<string>)>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(start + 1).SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|')))
        {
            var cells = line.Split('|').Select(c => c.Trim()).ToArray();
            var name = Name().Match(cells[1]);
            if (!name.Success)
            {
                continue;
            }

            var labels = Name().Matches(cells[3]).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
            metrics.Add(name.Groups[1].Value, (cells[2], labels));
        }

        return new MetricContract(metrics);
    }

    /// <summary>The contract metric a series name belongs to (<c>_bucket</c>, <c>_sum</c>, <c>_count</c> of a histogram), or null.</summary>
    public string? MetricOf(string series)
    {
        if (Metrics.ContainsKey(series))
        {
            return series;
        }

        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
        {
            if (series.EndsWith(suffix, StringComparison.Ordinal) && Metrics.TryGetValue(series[..^suffix.Length], out var metric)
                && metric.Type == "histogram")
            {
                return series[..^suffix.Length];
            }
        }

        return null;
    }

    [GeneratedRegex("`([a-z_][a-z0-9_]*)`")]
    private static partial Regex Name();
}
