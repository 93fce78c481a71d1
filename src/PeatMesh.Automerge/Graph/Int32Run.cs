namespace PeatMesh.Automerge.Graph;

/// <summary>
/// A growable run of <see cref="int"/>s that can take over an array instead of copying it (a loaded document's
/// dependency positions: two arrays of one entry per change, 2 MB for the paper trace's per-edit document).
/// </summary>
/// <remarks>Not thread-safe.</remarks>
internal sealed class Int32Run
{
    private int[] _items;

    /// <summary>Creates a run holding <paramref name="items"/> (copied).</summary>
    public Int32Run(params ReadOnlySpan<int> items)
    {
        _items = items.Length == 0 ? new int[4] : items.ToArray();
        Count = items.Length;
    }

    /// <summary>Number of items.</summary>
    public int Count { get; private set; }

    /// <summary>The item at <paramref name="index"/> (0 ≤ index &lt; <see cref="Count"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside the run.</exception>
    public int this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
            return _items[index];
        }
    }

    /// <summary>Appends an item (the array doubles when full).</summary>
    public void Add(int item)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, Math.Max(4, _items.Length * 2));
        }

        _items[Count++] = item;
    }

    /// <summary>
    /// Replaces the items with the first <paramref name="count"/> of <paramref name="items"/>, which the run now owns:
    /// the caller must not write to the array afterwards.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative or beyond the array.</exception>
    public void Adopt(int[] items, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, items.Length);
        _items = items.Length == 0 ? new int[4] : items;
        Count = count;
    }

    /// <summary>Items <paramref name="start"/> (inclusive) to <paramref name="end"/> (exclusive), without copying.</summary>
    public ReadOnlySpan<int> Slice(int start, int end) => _items.AsSpan(0, Count)[start..end];
}
