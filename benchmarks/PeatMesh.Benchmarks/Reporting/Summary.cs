namespace PeatMesh.Benchmarks.Reporting;

/// <summary>Median, minimum and maximum of a set of repeated measurements.</summary>
/// <remarks>Immutable; thread-safe.</remarks>
/// <param name="Median">The middle value (the mean of the two middle values for an even count).</param>
/// <param name="Min">The smallest value.</param>
/// <param name="Max">The largest value.</param>
/// <param name="Count">How many values were summarized.</param>
public readonly record struct Summary(double Median, double Min, double Max, int Count)
{
    /// <summary>Summarizes <paramref name="values"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="values"/> is empty or holds NaN.</exception>
    public static Summary Of(IReadOnlyCollection<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            throw new ArgumentException("Nothing to summarize: no measurements.", nameof(values));
        }

        if (values.Any(double.IsNaN))
        {
            throw new ArgumentException("A measurement is NaN.", nameof(values));
        }

        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        return new Summary(median, sorted[0], sorted[^1], sorted.Length);
    }
}
