using System.Globalization;

namespace PeatMesh.TestSupport;

/// <summary>
/// A parsed Prometheus text exposition (format 0.0.4) for assertions: samples keyed by <c>name{labels}</c> exactly as
/// written (labels in the writer's sorted order), plus the HELP and TYPE of each family.
/// </summary>
internal sealed class PrometheusScrape
{
    private PrometheusScrape(Dictionary<string, double> samples, Dictionary<string, string> types, Dictionary<string, string> help)
    {
        Samples = samples;
        Types = types;
        Help = help;
    }

    /// <summary>Sample values by <c>name</c> or <c>name{a="x",b="y"}</c>.</summary>
    public IReadOnlyDictionary<string, double> Samples { get; }

    /// <summary>TYPE by family name.</summary>
    public IReadOnlyDictionary<string, string> Types { get; }

    /// <summary>HELP text (as written, escaped) by family name.</summary>
    public IReadOnlyDictionary<string, string> Help { get; }

    /// <summary>Parses the text; a malformed line fails the test.</summary>
    public static PrometheusScrape Parse(string text)
    {
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var help = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith("# TYPE ", StringComparison.Ordinal) || line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                var rest = line[7..];
                var space = rest.IndexOf(' ', StringComparison.Ordinal);
                Assert.True(space > 0, "malformed comment line: " + line);
                (line[2] == 'T' ? types : help)[rest[..space]] = rest[(space + 1)..];
                continue;
            }

            var split = line.LastIndexOf(' ');
            Assert.True(split > 0, "malformed sample line: " + line);
            var value = line[(split + 1)..] switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                var number => double.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture),
            };
            samples.Add(line[..split], value);
        }

        return new PrometheusScrape(samples, types, help);
    }

    /// <summary>The value of <paramref name="series"/>, or null when it is absent.</summary>
    public double? Value(string series) => Samples.TryGetValue(series, out var value) ? value : null;

    /// <summary>The sum of every series of metric <paramref name="name"/> whose labels include all of <paramref name="labels"/> (e.g. <c>direction="in"</c>).</summary>
    public double Sum(string name, params string[] labels) =>
        Samples.Where(s => (s.Key == name || s.Key.StartsWith(name + "{", StringComparison.Ordinal))
                           && labels.All(l => s.Key.Contains(l, StringComparison.Ordinal)))
            .Sum(s => s.Value);
}
