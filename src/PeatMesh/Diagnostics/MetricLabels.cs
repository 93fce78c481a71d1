using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace PeatMesh.Diagnostics;

/// <summary>
/// Label values shared by the recording sites: enum names in snake_case (<c>HeartbeatTimeout</c> →
/// <c>heartbeat_timeout</c>), computed once per enum value, and HTTP status codes as text.
/// </summary>
/// <remarks>Thread-safe: immutable caches.</remarks>
internal static class MetricLabels
{
    private static readonly string[] StatusCodes = [.. Enumerable.Range(0, 600).Select(s => s.ToString(CultureInfo.InvariantCulture))];

    /// <summary>HTTP methods kept as label values; anything else is reported as <c>_OTHER</c> (bounded cardinality).</summary>
    private static readonly FrozenSet<string> KnownMethods =
        new[] { "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The snake_case name of an enum value (e.g. <c>authentication_failed</c>).</summary>
    public static string SnakeCase<TEnum>(TEnum value)
        where TEnum : struct, Enum => EnumNames<TEnum>.Get(value);

    /// <summary>A status code as a label value (<c>"200"</c>); codes outside 0–599 become <c>"other"</c>.</summary>
    public static string Status(int statusCode) => statusCode is >= 0 and < 600 ? StatusCodes[statusCode] : "other";

    /// <summary>The request method as a label value: one of the standard methods, else <c>_OTHER</c>.</summary>
    public static string Method(string method) => KnownMethods.TryGetValue(method, out var known) ? known : "_OTHER";

    /// <summary>Converts <c>PascalCase</c> to <c>snake_case</c>.</summary>
    public static string ToSnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0)
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static class EnumNames<TEnum>
        where TEnum : struct, Enum
    {
        private static readonly FrozenDictionary<TEnum, string> Names =
            Enum.GetValues<TEnum>().Distinct().ToFrozenDictionary(v => v, v => ToSnakeCase(v.ToString()));

        public static string Get(TEnum value) => Names.TryGetValue(value, out var name) ? name : "unknown";
    }
}
