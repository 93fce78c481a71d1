namespace PeatMesh.Automerge.Binary;

/// <summary>
/// Maps <see cref="PackedOpId"/>s to row numbers for the document writer. Op counters of one actor are nearly dense
/// (an actor's changes take consecutive counters, interleaved only with concurrent changes), so when every actor's
/// counter span is small compared with the number of ids the index is one flat array per actor, indexed by counter;
/// otherwise (a few ids spread over huge counter ranges) it falls back to a dictionary.
/// </summary>
/// <remarks>Immutable after construction; thread-safe for reading.</remarks>
internal sealed class PackedIdIndex
{
    private readonly int[]? _table;
    private readonly int[]? _offset;
    private readonly ulong[]? _minCounter;
    private readonly ulong[]? _span;
    private readonly Dictionary<ulong, int>? _map;

    /// <summary>Indexes <c>ids[r]</c> → r.</summary>
    /// <param name="ids">Packed ids, row by row; none is 0.</param>
    /// <param name="actorCount">The number of actor indices the ids use (every actor index is below it).</param>
    /// <param name="duplicateRow">The first row whose id an earlier row already has, or -1.</param>
    public PackedIdIndex(ulong[] ids, int actorCount, out int duplicateRow)
    {
        ArgumentNullException.ThrowIfNull(ids);
        duplicateRow = -1;
        var min = new ulong[actorCount];
        var max = new ulong[actorCount];
        Array.Fill(min, ulong.MaxValue);
        foreach (var id in ids)
        {
            var actor = (int)PackedOpId.Actor(id);
            var counter = PackedOpId.Counter(id);
            min[actor] = Math.Min(min[actor], counter);
            max[actor] = Math.Max(max[actor], counter);
        }

        // Dense when the spans add up to at most 4 slots per id (plus a little), so the table never costs more than
        // about 16 bytes per id (a dictionary entry costs ~24).
        ulong total = 0;
        var span = new ulong[actorCount];
        for (var a = 0; a < actorCount; a++)
        {
            span[a] = min[a] == ulong.MaxValue ? 0 : max[a] - min[a] + 1;
            total += span[a];
        }

        if (total <= (4UL * (ulong)ids.Length) + 1024)
        {
            _offset = new int[actorCount];
            var next = 0;
            for (var a = 0; a < actorCount; a++)
            {
                _offset[a] = next;
                next += (int)span[a];
            }

            _table = new int[next];
            Array.Fill(_table, -1);
            _minCounter = min;
            _span = span;
            for (var r = 0; r < ids.Length; r++)
            {
                var actor = (int)PackedOpId.Actor(ids[r]);
                ref var slot = ref _table[_offset[actor] + (int)(PackedOpId.Counter(ids[r]) - min[actor])];
                if (slot >= 0)
                {
                    if (duplicateRow < 0)
                    {
                        duplicateRow = r;
                    }

                    continue;
                }

                slot = r;
            }

            return;
        }

        _map = new Dictionary<ulong, int>(ids.Length);
        for (var r = 0; r < ids.Length; r++)
        {
            if (!_map.TryAdd(ids[r], r) && duplicateRow < 0)
            {
                duplicateRow = r;
            }
        }
    }

    /// <summary>The row of <paramref name="id"/>, if indexed.</summary>
    public bool TryGetValue(ulong id, out int row)
    {
        if (_map is not null)
        {
            return _map.TryGetValue(id, out row);
        }

        row = -1;
        var actor = PackedOpId.Actor(id);
        if (actor >= (ulong)_offset!.Length)
        {
            return false;
        }

        var delta = PackedOpId.Counter(id) - _minCounter![actor];
        if (delta >= _span![actor])
        {
            return false; // also below the minimum: the subtraction wrapped around
        }

        row = _table![_offset[actor] + (int)delta];
        return row >= 0;
    }

    /// <summary>The row of <paramref name="id"/>, which must be indexed.</summary>
    /// <exception cref="KeyNotFoundException">Not indexed.</exception>
    public int this[ulong id] => TryGetValue(id, out var row) ? row : throw new KeyNotFoundException("Op id not indexed.");
}
