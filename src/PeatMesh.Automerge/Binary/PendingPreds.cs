namespace PeatMesh.Automerge.Binary;

/// <summary>
/// For the document op reader: the rows that list each not-yet-seen op id as a successor (that op's future
/// predecessors), within one (object, key) group. An open-addressing hash table over packed ids with pooled row lists,
/// emptied at each group's end in time proportional to what the group added.
/// </summary>
/// <remarks>
/// A purpose-built type rather than <c>Dictionary&lt;ulong, …&gt;</c> over a struct: a framework generic instantiated
/// over this assembly's value types cannot be precompiled into it by ReadyToRun, so it ran as tier-0 JIT code on every
/// first load. Not thread-safe.
/// </remarks>
internal sealed class PendingPreds
{
    private const int Empty = -1;
    private const int Removed = -2;

    private ulong[] _keys = new ulong[64];
    private int[] _heads = NewSlots(64); // per slot: first pooled entry, Empty, or Removed
    private int[] _tails = new int[64];
    private int[] _slotOrder = new int[64]; // per live slot: its entry in the insertion order
    private int _used; // slots holding a key or a removal mark

    private ulong[] _order = new ulong[16]; // keys in insertion order
    private int[] _orderSlot = new int[16];
    private int _orderCount;

    private int[] _entryRow = new int[16];
    private int[] _entryNext = new int[16];
    private int _entryCount;

    private int[] _scratchRows = new int[4];
    private ulong[] _scratchIds = new ulong[4];

    /// <summary>Whether no id is pending.</summary>
    public bool IsEmpty => _orderCount == 0;

    /// <summary>Notes that <paramref name="row"/> lists <paramref name="id"/> (not 0) as a successor.</summary>
    public void Add(ulong id, int row)
    {
        if ((_used + 1) * 2 > _keys.Length)
        {
            Grow();
        }

        var slot = Find(id, out var found);
        var entry = NewEntry(row);
        if (found)
        {
            _entryNext[_tails[slot]] = entry;
            _tails[slot] = entry;
            return;
        }

        if (_heads[slot] == Empty)
        {
            _used++;
        }

        _keys[slot] = id;
        _heads[slot] = entry;
        _tails[slot] = entry;
        if (_orderCount == _order.Length)
        {
            Array.Resize(ref _order, _order.Length * 2);
            Array.Resize(ref _orderSlot, _orderSlot.Length * 2);
        }

        _slotOrder[slot] = _orderCount;
        _order[_orderCount] = id;
        _orderSlot[_orderCount++] = slot;
    }

    /// <summary>
    /// If <paramref name="id"/> is pending, removes it and appends its rows (ascending by op id) to
    /// <paramref name="ops"/>' predecessors; returns how many (0 when not pending).
    /// </summary>
    public int TakeInto(ulong id, DocumentOps ops)
    {
        if (_orderCount == 0)
        {
            return 0;
        }

        var slot = Find(id, out var found);
        if (!found)
        {
            return 0;
        }

        var count = CopyRows(_heads[slot], ops);
        _heads[slot] = Removed;
        return count;
    }

    /// <summary>The number of ids added since the last <see cref="Clear"/> (removed ones included).</summary>
    public int AddedCount => _orderCount;

    /// <summary>The <paramref name="index"/>-th id added since the last <see cref="Clear"/>, and whether it is still pending.</summary>
    public ulong AddedAt(int index, out bool pending)
    {
        // A removed id's slot may since hold another id, or the same id added again: both have a later entry.
        var slot = _orderSlot[index];
        pending = _heads[slot] >= 0 && _slotOrder[slot] == index;
        return _order[index];
    }

    /// <summary>Like <see cref="TakeInto"/> for the <paramref name="index"/>-th id added, which must still be pending.</summary>
    public int TakeAddedInto(int index, DocumentOps ops)
    {
        var slot = _orderSlot[index];
        var count = CopyRows(_heads[slot], ops);
        _heads[slot] = Removed;
        return count;
    }

    /// <summary>Forgets every id (the end of a group).</summary>
    public void Clear()
    {
        for (var i = 0; i < _orderCount; i++)
        {
            _heads[_orderSlot[i]] = Empty;
        }

        _orderCount = 0;
        _entryCount = 0;
        _used = 0;
    }

    private static int[] NewSlots(int length)
    {
        var slots = new int[length];
        Array.Fill(slots, Empty);
        return slots;
    }

    private int Find(ulong id, out bool found)
    {
        var mask = _keys.Length - 1;
        var slot = (int)(Mix(id) & (ulong)mask);
        var firstRemoved = -1;
        while (true)
        {
            var head = _heads[slot];
            if (head == Empty)
            {
                found = false;
                return firstRemoved >= 0 ? firstRemoved : slot;
            }

            if (_keys[slot] == id)
            {
                if (head >= 0)
                {
                    found = true;
                    return slot;
                }

                // a removed id that comes back: reuse its slot
                found = false;
                return slot;
            }

            if (head == Removed && firstRemoved < 0)
            {
                firstRemoved = slot;
            }

            slot = (slot + 1) & mask;
        }
    }

    private static ulong Mix(ulong id)
    {
        id ^= id >> 33;
        id *= 0xff51afd7ed558ccdUL;
        return id ^ (id >> 33);
    }

    private void Grow()
    {
        // Re-insert the pending ids in insertion order; removed ones are dropped (their rows were taken).
        var oldHeads = _heads;
        var oldTails = _tails;
        var oldSlotOrder = _slotOrder;
        _keys = new ulong[_keys.Length * 2];
        _heads = NewSlots(_keys.Length);
        _tails = new int[_keys.Length];
        _slotOrder = new int[_keys.Length];
        _used = 0;
        var write = 0;
        for (var i = 0; i < _orderCount; i++)
        {
            var old = _orderSlot[i];
            if (oldHeads[old] < 0 || oldSlotOrder[old] != i)
            {
                continue;
            }

            var id = _order[i];
            var slot = Find(id, out _);
            _keys[slot] = id;
            _heads[slot] = oldHeads[old];
            _tails[slot] = oldTails[old];
            _used++;
            _slotOrder[slot] = write;
            _order[write] = id;
            _orderSlot[write++] = slot;
        }

        _orderCount = write;
    }

    private int NewEntry(int row)
    {
        if (_entryCount == _entryRow.Length)
        {
            Array.Resize(ref _entryRow, _entryRow.Length * 2);
            Array.Resize(ref _entryNext, _entryNext.Length * 2);
        }

        _entryRow[_entryCount] = row;
        _entryNext[_entryCount] = -1;
        return _entryCount++;
    }

    private int CopyRows(int entry, DocumentOps ops)
    {
        if (_entryNext[entry] < 0)
        {
            ops.AddPred(_entryRow[entry]);
            return 1;
        }

        var count = 0;
        for (var e = entry; e >= 0; e = _entryNext[e])
        {
            if (count == _scratchRows.Length)
            {
                Array.Resize(ref _scratchRows, count * 2);
                Array.Resize(ref _scratchIds, count * 2);
            }

            _scratchRows[count] = _entryRow[e];
            _scratchIds[count++] = ops.Rows[_entryRow[e]].Id;
        }

        Array.Sort(_scratchIds, _scratchRows, 0, count);
        for (var i = 0; i < count; i++)
        {
            ops.AddPred(_scratchRows[i]);
        }

        return count;
    }
}
