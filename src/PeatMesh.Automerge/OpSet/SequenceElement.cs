using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.OpSet;

/// <summary>
/// One element of a list or text: the stored op that inserted it (this record; its id is the element id), plus the
/// later ops that overwrote it, kept even when deleted (a tombstone) so concurrent inserts can still reference it.
/// </summary>
/// <remarks>
/// Being the insert op's record itself (rather than an object pointing to it) saves an object and an indirection per
/// element — texts have one element per character. Not thread-safe; owned by one <see cref="SequenceTree"/>.
/// </remarks>
internal class SequenceElement : OpRecord
{
    // The value ops ascending by id: the first inline (most elements only ever have their insert op), then in _more
    // once a second op arrives.
    private OpRecord _first = null!;
    private OpRecord[]? _more;
    private int _opCount;

    /// <summary>Creates the element inserted by op <paramref name="id"/> after <paramref name="reference"/> (null: <c>_head</c>).</summary>
    public SequenceElement(OpId id, ObjId obj, SequenceElement? reference, OpAction action, ScalarValue value)
        : base(id, obj, reference, action, value, insert: true)
    {
        if (IsValueOp)
        {
            _first = this;
            _opCount = 1;
        }
    }

    /// <inheritdoc />
    public override SequenceElement Element => this;

    /// <summary>The op that inserted the element: this record.</summary>
    public OpRecord InsertOp => this;

    /// <summary>The leaf that currently holds the element.</summary>
    public SequenceLeaf? Leaf { get; set; }

    /// <summary>Cached visibility as counted by the tree.</summary>
    public bool CountedVisible { get; set; }

    /// <summary>Cached UTF-16 width as counted by the tree.</summary>
    public int CountedWidth { get; set; }

    /// <summary>Cached width in Unicode code points as counted by the tree.</summary>
    public int CountedCodePoints { get; set; }

    /// <summary>The value ops of the element (insert op if it carries a value, then overwrites), ascending by id.</summary>
    public ReadOnlySpan<OpRecord> Ops => _more is not null
        ? _more.AsSpan(0, _opCount)
        : _opCount == 0 ? [] : new ReadOnlySpan<OpRecord>(ref _first);

    /// <summary>Adds an overwrite op in id order.</summary>
    public void AddOp(OpRecord op)
    {
        if (_more is null)
        {
            if (_opCount == 0)
            {
                _first = op;
                _opCount = 1;
                return;
            }

            _more = new OpRecord[4];
            _more[0] = _first;
            _first = null!;
        }
        else if (_opCount == _more.Length)
        {
            Array.Resize(ref _more, _more.Length * 2);
        }

        var i = _opCount;
        while (i > 0 && _more[i - 1].Id.CompareTo(op.Id) > 0)
        {
            _more[i] = _more[i - 1];
            i--;
        }

        _more[i] = op;
        _opCount++;
    }

    /// <summary>Removes an op (transaction rollback).</summary>
    public void RemoveOp(OpRecord op)
    {
        if (_more is null)
        {
            if (_opCount == 1 && ReferenceEquals(_first, op))
            {
                _first = null!;
                _opCount = 0;
            }

            return;
        }

        var i = Array.IndexOf(_more, op, 0, _opCount);
        if (i < 0)
        {
            return;
        }

        Array.Copy(_more, i + 1, _more, i, _opCount - i - 1);
        _opCount--;
        _more[_opCount] = null!;
    }

    /// <summary>The visible op with the greatest id, or <see langword="null"/> when the element is deleted.</summary>
    public OpRecord? Winner
    {
        get
        {
            var ops = Ops;
            for (var i = ops.Length - 1; i >= 0; i--)
            {
                if (ops[i].Visible)
                {
                    return ops[i];
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
