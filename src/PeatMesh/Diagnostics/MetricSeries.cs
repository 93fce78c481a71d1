using System.Text;

namespace PeatMesh.Diagnostics;

/// <summary>The state of one label set of an exported instrument.</summary>
/// <remarks>Implementations are thread-safe.</remarks>
internal abstract class MetricSeries
{
    /// <summary>Appends the series' sample lines for metric <paramref name="name"/> with label list <paramref name="labels"/>.</summary>
    public abstract void WriteTo(StringBuilder text, string name, string labels);

    /// <summary>Adds <paramref name="delta"/> to a double atomically.</summary>
    protected static void AddAtomic(ref double target, double delta)
    {
        var current = Volatile.Read(ref target);
        while (true)
        {
            var observed = Interlocked.CompareExchange(ref target, current + delta, current);
            if (observed.Equals(current))
            {
                return;
            }

            current = observed;
        }
    }
}
