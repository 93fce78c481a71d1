using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.OpSet;

/// <summary>A map or table: per key, the ops written at that key ascending by OpId.</summary>
/// <remarks>Not thread-safe.</remarks>
internal sealed class MapState : ObjectState
{
    public MapState(ObjId id, ObjType type)
        : base(id, type)
    {
    }

    /// <summary>Ops per key, each list ascending by OpId.</summary>
    public Dictionary<string, List<OpRecord>> Entries { get; } = new(StringComparer.Ordinal);

    /// <summary>Adds an op to its key group in OpId order.</summary>
    public void Add(OpRecord op)
    {
        var key = op.MapKey!;
        if (!Entries.TryGetValue(key, out var list))
        {
            list = new List<OpRecord>(1);
            Entries.Add(key, list);
        }

        var i = list.Count;
        while (i > 0 && list[i - 1].Id.CompareTo(op.Id) > 0)
        {
            i--;
        }

        list.Insert(i, op);
    }

    /// <summary>Removes an op (transaction rollback).</summary>
    public void Remove(OpRecord op)
    {
        var key = op.MapKey!;
        if (Entries.TryGetValue(key, out var list))
        {
            list.Remove(op);
            if (list.Count == 0)
            {
                Entries.Remove(key);
            }
        }
    }

    /// <summary>The visible op with the greatest OpId at <paramref name="key"/> (the winner).</summary>
    public OpRecord? Winner(string key)
    {
        if (!Entries.TryGetValue(key, out var list))
        {
            return null;
        }

        for (var i = list.Count - 1; i >= 0; i--)
        {
            if (list[i].Visible)
            {
                return list[i];
            }
        }

        return null;
    }

    /// <summary>The visible ops at <paramref name="key"/>, ascending by OpId.</summary>
    public List<OpRecord> VisibleOps(string key)
    {
        var result = new List<OpRecord>();
        if (Entries.TryGetValue(key, out var list))
        {
            foreach (var op in list)
            {
                if (op.Visible)
                {
                    result.Add(op);
                }
            }
        }

        return result;
    }
}
