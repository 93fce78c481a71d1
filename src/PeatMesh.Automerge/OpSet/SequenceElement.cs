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
    // The value ops ascending by id, in one field (an element exists per character, so its size matters): this record
    // itself while the insert op is the only one (most elements never get another), an exact-length array once a
    // second op arrives or the insert op carries no value (marks), null when there is none. Ops reads it as a span.
    private object? _ops;

    // The width as counted by the tree, -1 when counted as not visible (a visible element can have width 0: "").
    private int _countedWidth = -1;

    /// <summary>
    /// Creates the element inserted by op <paramref name="id"/> after <paramref name="reference"/>: a
    /// <see cref="SequenceElement"/>, an <see cref="ElementReference"/> when that element has no object, or null for
    /// <c>_head</c>.
    /// </summary>
    public SequenceElement(OpId id, ObjectState owner, object? reference, OpAction action, ScalarValue value)
        : base(id, owner, reference, action, value, insert: true)
    {
        System.Diagnostics.Debug.Assert(reference is null or SequenceElement or ElementReference, "An insert follows an element, named by object or id.");
        if (IsValueOp)
        {
            _ops = this;
        }
    }

    /// <summary>Creates the element inserted by a value op (a <see cref="CounterSequenceElement"/> for a counter).</summary>
    public static SequenceElement Create(OpId id, ObjectState owner, object? reference, OpAction action, ScalarValue value) =>
        action == OpAction.Set && value.Kind == ScalarKind.Counter
            ? new CounterSequenceElement(id, owner, reference, value)
            : new SequenceElement(id, owner, reference, action, value);

    /// <inheritdoc />
    public override SequenceElement Element => this;

    /// <summary>The op that inserted the element: this record.</summary>
    public OpRecord InsertOp => this;

    /// <summary>The leaf that currently holds the element.</summary>
    public SequenceLeaf? Leaf { get; set; }

    /// <summary>Cached visibility as counted by the tree.</summary>
    public bool CountedVisible => _countedWidth >= 0;

    /// <summary>Cached UTF-16 width as counted by the tree (0 when not visible).</summary>
    public int CountedWidth => _countedWidth < 0 ? 0 : _countedWidth;

    /// <summary>Cached width in Unicode code points as counted by the tree (0 when not visible).</summary>
    public int CountedCodePoints { get; private set; }

    /// <summary>Sets the cached visibility and widths (widths are ignored when not visible).</summary>
    public void SetCounted(bool visible, int width, int codePoints)
    {
        _countedWidth = visible ? width : -1;
        CountedCodePoints = visible ? codePoints : 0;
    }

    /// <summary>The value ops of the element (insert op if it carries a value, then overwrites), ascending by id.</summary>
    public ReadOnlySpan<OpRecord> Ops
    {
        get
        {
            // Reference tests only (no type checks: an array here is always exactly OpRecord[]).
            if (ReferenceEquals(_ops, this))
            {
                return new ReadOnlySpan<OpRecord>(ref System.Runtime.CompilerServices.Unsafe.As<object?, OpRecord>(ref _ops));
            }

            return _ops is null ? [] : System.Runtime.CompilerServices.Unsafe.As<OpRecord[]>(_ops);
        }
    }

    /// <summary>Adds an overwrite op in id order.</summary>
    public void AddOp(OpRecord op)
    {
        var ops = Ops;
        if (ops.IsEmpty)
        {
            _ops = ReferenceEquals(op, this) ? this : new[] { op };
            return;
        }

        var result = new OpRecord[ops.Length + 1];
        var i = ops.Length;
        while (i > 0 && ops[i - 1].Id.CompareTo(op.Id) > 0)
        {
            i--;
        }

        ops[..i].CopyTo(result);
        result[i] = op;
        ops[i..].CopyTo(result.AsSpan(i + 1));
        _ops = result;
    }

    /// <summary>Removes an op (transaction rollback).</summary>
    public void RemoveOp(OpRecord op)
    {
        var ops = Ops;
        var i = ops.Length - 1;
        while (i >= 0 && !ReferenceEquals(ops[i], op))
        {
            i--;
        }

        if (i < 0)
        {
            return;
        }

        if (ops.Length == 1)
        {
            _ops = null;
            return;
        }

        var result = new OpRecord[ops.Length - 1];
        ops[..i].CopyTo(result);
        ops[(i + 1)..].CopyTo(result.AsSpan(i));
        _ops = result;
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
