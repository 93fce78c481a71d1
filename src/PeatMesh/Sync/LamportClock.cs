namespace PeatMesh.Sync;

/// <summary>A Lamport clock: ticks on local events, jumps past any observed remote value.</summary>
/// <remarks>Thread-safe (lock-free).</remarks>
public sealed class LamportClock
{
    private ulong _value;

    /// <summary>Starts at <paramref name="initial"/> (e.g. restored from storage).</summary>
    public LamportClock(ulong initial = 0) => _value = initial;

    /// <summary>The current value.</summary>
    public ulong Current => Interlocked.Read(ref _value);

    /// <summary>Advances for a local event and returns the new value.</summary>
    public ulong Tick() => Interlocked.Increment(ref _value);

    /// <summary>Moves the clock past <paramref name="observed"/> (no-op when already ahead).</summary>
    public void Observe(ulong observed)
    {
        var current = Interlocked.Read(ref _value);
        while (observed > current)
        {
            var seen = Interlocked.CompareExchange(ref _value, observed, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
