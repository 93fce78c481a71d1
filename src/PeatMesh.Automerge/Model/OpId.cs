namespace PeatMesh.Automerge.Model;

/// <summary>
/// An operation id <c>counter@actor</c> (a Lamport timestamp). Ordered by counter, then by actor bytes:
/// the greater OpId wins a conflict.
/// </summary>
/// <remarks>Immutable value type; thread-safe.</remarks>
/// <param name="Counter">The op counter, ≥ 1 (Automerge 3.x rejects counters above 2^32 − 1 on the wire).</param>
/// <param name="Actor">The actor that created the op.</param>
public readonly record struct OpId(ulong Counter, ActorId Actor) : IComparable<OpId>
{
    /// <summary>Lamport order: counter first, then actor bytes.</summary>
    public int CompareTo(OpId other)
    {
        var c = Counter.CompareTo(other.Counter);
        return c != 0 ? c : Actor.CompareTo(other.Actor);
    }

    /// <summary><c>counter@actorhex</c>, as Automerge prints op ids.</summary>
    public override string ToString() => Counter.ToString(System.Globalization.CultureInfo.InvariantCulture) + "@" + Actor;

    /// <summary>Ordering.</summary>
    public static bool operator <(OpId left, OpId right) => left.CompareTo(right) < 0;

    /// <summary>Ordering.</summary>
    public static bool operator >(OpId left, OpId right) => left.CompareTo(right) > 0;

    /// <summary>Ordering.</summary>
    public static bool operator <=(OpId left, OpId right) => left.CompareTo(right) <= 0;

    /// <summary>Ordering.</summary>
    public static bool operator >=(OpId left, OpId right) => left.CompareTo(right) >= 0;
}
