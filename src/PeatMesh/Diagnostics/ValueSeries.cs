using System.Text;

namespace PeatMesh.Diagnostics;

/// <summary>A counter or gauge series: one value, added to or replaced.</summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class ValueSeries : MetricSeries
{
    private double _value;

    /// <summary>Adds to the value.</summary>
    public void Add(double delta) => AddAtomic(ref _value, delta);

    /// <summary>Replaces the value.</summary>
    public void Set(double value) => Interlocked.Exchange(ref _value, value);

    /// <inheritdoc />
    public override void WriteTo(StringBuilder text, string name, string labels)
    {
        text.Append(name);
        if (labels.Length > 0)
        {
            text.Append('{').Append(labels).Append('}');
        }

        text.Append(' ').Append(PrometheusText.Number(Volatile.Read(ref _value))).Append('\n');
    }
}
