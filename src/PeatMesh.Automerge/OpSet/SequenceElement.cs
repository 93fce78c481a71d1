using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.OpSet;

/// <summary>
/// One element of a list or text: the op that inserted it plus the later ops that overwrote it,
/// kept even when deleted (a tombstone) so concurrent inserts can still reference it.
/// </summary>
/// <remarks>Not thread-safe; owned by one <see cref="SequenceTree"/>.</remarks>
internal sealed class SequenceElement
{
    private OpRecord[] _ops;
    private int _opCount;

    public SequenceElement(OpRecord insertOp)
    {
        InsertOp = insertOp;
        _ops = insertOp.IsValueOp ? [insertOp] : [];
        _opCount = _ops.Length;
    }

    /// <summary>The op that inserted the element; its id is the element id.</summary>
    public OpRecord InsertOp { get; }

    /// <summary>The element id.</summary>
    public OpId Id => InsertOp.Id;

    /// <summary>The leaf that currently holds the element.</summary>
    public SequenceLeaf? Leaf { get; set; }

    /// <summary>Cached visibility as counted by the tree.</summary>
    public bool CountedVisible { get; set; }

    /// <summary>Cached UTF-16 width as counted by the tree.</summary>
    public int CountedWidth { get; set; }

    /// <summary>Cached width in Unicode code points as counted by the tree.</summary>
    public int CountedCodePoints { get; set; }

    /// <summary>The value ops of the element (insert op if it carries a value, then overwrites), ascending by id.</summary>
    public ReadOnlySpan<OpRecord> Ops => _ops.AsSpan(0, _opCount);

    /// <summary>Adds an overwrite op in id order.</summary>
    public void AddOp(OpRecord op)
    {
        if (_opCount == _ops.Length)
        {
            Array.Resize(ref _ops, Math.Max(2, _ops.Length * 2));
        }

        var i = _opCount;
        while (i > 0 && _ops[i - 1].Id.CompareTo(op.Id) > 0)
        {
            _ops[i] = _ops[i - 1];
            i--;
        }

        _ops[i] = op;
        _opCount++;
    }

    /// <summary>Removes an op (transaction rollback).</summary>
    public void RemoveOp(OpRecord op)
    {
        var i = Array.IndexOf(_ops, op, 0, _opCount);
        if (i < 0)
        {
            return;
        }

        Array.Copy(_ops, i + 1, _ops, i, _opCount - i - 1);
        _opCount--;
        _ops[_opCount] = null!;
    }

    /// <summary>The visible op with the greatest id, or <see langword="null"/> when the element is deleted.</summary>
    public OpRecord? Winner
    {
        get
        {
            for (var i = _opCount - 1; i >= 0; i--)
            {
                if (_ops[i].Visible)
                {
                    return _ops[i];
                }
            }

            return null;
        }
    }

    /// <summary>The UTF-16 width of a visible element: a string's length, 1 for any other value.</summary>
    public static int WidthOf(OpRecord winner) =>
        winner.Action == OpAction.Set && winner.Value.Kind == ScalarKind.Str ? winner.Value.AsString!.Length : 1;

    /// <summary>The width of a visible element in Unicode code points: a string's code point count, 1 for any other value.</summary>
    public static int CodePointWidthOf(OpRecord winner) =>
        winner.Action == OpAction.Set && winner.Value.Kind == ScalarKind.Str ? CodePointCount(winner.Value.AsString!) : 1;

    /// <summary>Number of code points in well-formed UTF-16 (a lone surrogate counts as one).</summary>
    public static int CodePointCount(string s)
    {
        if (s.Length == 1 || (s.Length == 2 && char.IsSurrogatePair(s[0], s[1])))
        {
            return 1;
        }

        var count = 0;
        for (var i = 0; i < s.Length; i++)
        {
            if (!(char.IsLowSurrogate(s[i]) && i > 0 && char.IsHighSurrogate(s[i - 1])))
            {
                count++;
            }
        }

        return count;
    }
}
