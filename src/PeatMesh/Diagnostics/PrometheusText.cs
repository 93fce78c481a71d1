using System.Globalization;
using System.Text;

namespace PeatMesh.Diagnostics;

/// <summary>
/// Lexical rules of the Prometheus text exposition format 0.0.4: metric and label names, escaping of HELP text and
/// label values, and sample values (<c>NaN</c>, <c>+Inf</c>, <c>-Inf</c>, else the shortest round-trip decimal).
/// </summary>
/// <remarks>Thread-safe: stateless.</remarks>
internal static class PrometheusText
{
    /// <summary>A metric name: characters outside <c>[a-zA-Z0-9_:]</c> become <c>_</c>; a leading digit gets a <c>_</c> prefix.</summary>
    public static string MetricName(string name) => Sanitize(name, allowColon: true);

    /// <summary>A label name: characters outside <c>[a-zA-Z0-9_]</c> become <c>_</c>; a leading digit gets a <c>_</c> prefix.</summary>
    public static string LabelName(string name) => Sanitize(name, allowColon: false);

    /// <summary>HELP text: backslash → <c>\\</c>, line feed → <c>\n</c>.</summary>
    public static string EscapeHelp(string text) =>
        text.Contains('\\', StringComparison.Ordinal) || text.Contains('\n', StringComparison.Ordinal)
            ? text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)
            : text;

    /// <summary>Appends a label value with backslash, double quote and line feed escaped.</summary>
    public static void AppendLabelValue(StringBuilder text, string value)
    {
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\':
                    text.Append("\\\\");
                    break;
                case '"':
                    text.Append("\\\"");
                    break;
                case '\n':
                    text.Append("\\n");
                    break;
                default:
                    text.Append(c);
                    break;
            }
        }
    }

    /// <summary>A sample value or bucket bound as Prometheus writes it.</summary>
    public static string Number(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// Renders tags as the canonical label list <c>a="x",b="y"</c> (sorted by label name, without braces; empty for no
    /// tags). A tag value is formatted with the invariant culture; null becomes the empty string.
    /// </summary>
    public static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty)
        {
            return string.Empty;
        }

        var sorted = tags.ToArray();
        Array.Sort(sorted, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var text = new StringBuilder(sorted.Length * 24);
        for (var i = 0; i < sorted.Length; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            text.Append(LabelName(sorted[i].Key)).Append("=\"");
            AppendLabelValue(text, Convert.ToString(sorted[i].Value, CultureInfo.InvariantCulture) ?? string.Empty);
            text.Append('"');
        }

        return text.ToString();
    }

    private static string Sanitize(string name, bool allowColon)
    {
        if (name.Length == 0)
        {
            return "_";
        }

        var builder = new StringBuilder(name.Length + 1);
        if (char.IsAsciiDigit(name[0]))
        {
            builder.Append('_');
        }

        foreach (var c in name)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c == '_' || (allowColon && c == ':') ? c : '_');
        }

        return builder.ToString();
    }
}
