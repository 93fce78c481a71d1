using System.Globalization;

namespace PeatMesh.Benchmarks.Reporting;

/// <summary>Number formatting for report cells: invariant culture, thousands separators.</summary>
public static class Fmt
{
    /// <summary>Formats <paramref name="value"/> with <paramref name="decimals"/> fraction digits, e.g. <c>12,345.6</c>.</summary>
    public static string Number(double value, int decimals = 1) =>
        value.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>Formats a whole number with thousands separators, e.g. <c>65,519</c>.</summary>
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>Median, min and max as three cells.</summary>
    public static string[] Cells(Summary summary, int decimals = 1) =>
        [Number(summary.Median, decimals), Number(summary.Min, decimals), Number(summary.Max, decimals)];
}
