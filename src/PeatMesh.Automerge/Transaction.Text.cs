using System.Text;
using PeatMesh.Automerge.Model;
using PeatMesh.Automerge.OpSet;

namespace PeatMesh.Automerge;

public sealed partial class Transaction
{
    private static readonly string[] AsciiStrings = CreateAsciiStrings();

    /// <summary>
    /// Inserts <paramref name="insert"/> into a text at <paramref name="index"/>, one element per Unicode code point,
    /// then deletes <paramref name="deleteCount"/> units after the inserted text — the op order of Automerge 3.x
    /// <c>splice</c> (inserts first, then deletes). Positions and counts are in <see cref="AutomergeDocument.TextEncoding"/>
    /// units (UTF-16 code units by default). The inserted text references the element Automerge would choose next
    /// to marks (see <see cref="Mark"/>), so it joins or avoids a mark at its edge by the mark's expand flags.
    /// </summary>
    /// <param name="text">A text object.</param>
    /// <param name="index">Position, 0..length.</param>
    /// <param name="deleteCount">Units to delete (≥ 0).</param>
    /// <param name="insert">Text to insert (may be empty); must be well-formed UTF-16.</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="text"/> is unknown or not a text, a position splits a character (a surrogate pair in UTF-16
    /// units), or <paramref name="insert"/> contains a lone surrogate.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">The range lies outside the text.</exception>
    /// <exception cref="InvalidOperationException">The transaction is finished.</exception>
    public void SpliceText(ObjId text, int index, int deleteCount, string insert)
    {
        ArgumentNullException.ThrowIfNull(insert);
        EnsureOpen();
        var seq = RequireText(text);
        var encoding = _doc.TextEncoding;
        var length = seq.LengthIn(encoding);
        ArgumentOutOfRangeException.ThrowIfNegative(deleteCount);
        if (index < 0 || index > length)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Index must be within 0..{length}.");
        }

        if (deleteCount > length - index)
        {
            throw new ArgumentOutOfRangeException(nameof(deleteCount), deleteCount, "The deleted range extends past the end of the text.");
        }

        RequireBoundary(seq, index, encoding, nameof(index));
        RequireBoundary(seq, index + deleteCount, encoding, nameof(deleteCount));
        var runes = SplitRunes(insert);

        var inserted = 0;
        if (runes.Count > 0)
        {
            var key = ReferenceKey(SequenceInsertion.FindReference(seq, index, encoding));
            foreach (var rune in runes)
            {
                var id = AddOp(new Op(text, key, true, OpAction.Set, ScalarValue.Str(rune), null));
                key = Key.Seq(ElemId.FromOpId(id));
                inserted += encoding == TextEncoding.UnicodeCodePoint ? 1 : rune.Length;
            }
        }

        var deleted = 0;
        while (deleted < deleteCount)
        {
            var element = seq.Tree.FindByOffset(index + inserted, encoding, out _)!;
            deleted += seq.WidthOf(element, encoding);
            DeleteElement(text, element);
        }
    }

    /// <summary>
    /// Marks the range <c>[start, end)</c> of a text with <paramref name="name"/> = <paramref name="value"/>
    /// (Automerge JS <c>mark()</c>; rich text after Peritext). Writes a mark begin op (action 7, name, value,
    /// expand flag = <paramref name="expand"/> includes "before") referencing the element before
    /// <paramref name="start"/>, then a mark end op (no name, null value, expand flag = includes "after") before
    /// <paramref name="end"/>; both are zero-width elements (spec <c>automerge.md</c> §1, §2.7). The ops are the
    /// ones Automerge 3.x writes for the same call, so the change is byte-identical for the same actor, seq, time
    /// and deps.
    /// </summary>
    /// <param name="text">A text object.</param>
    /// <param name="start">First position marked, 0..length, in <see cref="AutomergeDocument.TextEncoding"/> units.</param>
    /// <param name="end">Position after the last one marked, <paramref name="start"/>..length. <c>start == end</c> makes a
    /// zero-width mark (nothing is written when <paramref name="expand"/> is <see cref="MarkExpand.None"/>, as Automerge does).</param>
    /// <param name="name">The mark's name, e.g. <c>"bold"</c>.</param>
    /// <param name="value">The mark's value; <see cref="ScalarValue.Null"/> removes the mark over the range (see <see cref="Unmark"/>).</param>
    /// <param name="expand">Whether text later inserted at the range's edges joins the mark. Defaults to
    /// <see cref="MarkExpand.After"/>, as Automerge JS and Rust.</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="text"/> is unknown or not a text, a position splits a character, or <paramref name="expand"/>
    /// is not a defined value.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="start"/> or <paramref name="end"/> is outside
    /// 0..length, or <paramref name="end"/> &lt; <paramref name="start"/>.</exception>
    /// <exception cref="InvalidOperationException">The transaction is finished.</exception>
    public void Mark(ObjId text, int start, int end, string name, ScalarValue value, MarkExpand expand = MarkExpand.After)
    {
        ArgumentNullException.ThrowIfNull(name);
        EnsureOpen();
        if (expand is not (MarkExpand.Before or MarkExpand.After or MarkExpand.Both or MarkExpand.None))
        {
            throw new ArgumentException("Unknown expand value " + expand + ".", nameof(expand));
        }

        var seq = RequireText(text);
        var encoding = _doc.TextEncoding;
        var length = seq.LengthIn(encoding);
        if (start < 0 || start > length)
        {
            throw new ArgumentOutOfRangeException(nameof(start), start, $"Start must be within 0..{length}.");
        }

        if (end < start || end > length)
        {
            throw new ArgumentOutOfRangeException(nameof(end), end, $"End must be within {start}..{length}.");
        }

        RequireBoundary(seq, start, encoding, nameof(start));
        RequireBoundary(seq, end, encoding, nameof(end));
        if (start == end && expand == MarkExpand.None)
        {
            // A zero-width mark that expands nowhere can never cover anything; Automerge writes nothing.
            return;
        }

        var before = expand is MarkExpand.Before or MarkExpand.Both;
        var after = expand is MarkExpand.After or MarkExpand.Both;
        var beginRef = SequenceInsertion.FindReference(seq, start, encoding);
        var beginId = AddOp(new Op(text, ReferenceKey(beginRef), true, OpAction.Mark, value, null, before, name));
        var begin = _store.GetOp(beginId)!.Element!;

        // The end must follow its begin in the sequence; when both positions resolve to the same place (a
        // zero-width mark), it goes right after the begin, as Automerge's insert_mark_end_after does.
        var endRef = begin;
        if (start != end && SequenceInsertion.FindReference(seq, end, encoding) is { } candidate
            && SequenceTree.PositionOf(candidate) >= SequenceTree.PositionOf(begin))
        {
            endRef = candidate;
        }

        AddOp(new Op(text, ReferenceKey(endRef), true, OpAction.Mark, ScalarValue.Null, null, after));
    }

    /// <summary>
    /// Removes mark <paramref name="name"/> from the range <c>[start, end)</c> of a text (Automerge JS <c>unmark()</c>):
    /// writes a mark with a null value, which wins over the marks of that name it overlaps because its begin op is
    /// newer. See <see cref="Mark"/> for positions, <paramref name="expand"/> and exceptions.
    /// </summary>
    /// <param name="text">A text object.</param>
    /// <param name="start">First position unmarked.</param>
    /// <param name="end">Position after the last one unmarked.</param>
    /// <param name="name">The mark's name.</param>
    /// <param name="expand">Whether text later inserted at the edges is also unmarked; defaults to <see cref="MarkExpand.After"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="text"/> is unknown or not a text, or a position splits a character.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A position is outside 0..length, or <paramref name="end"/> &lt; <paramref name="start"/>.</exception>
    /// <exception cref="InvalidOperationException">The transaction is finished.</exception>
    public void Unmark(ObjId text, int start, int end, string name, MarkExpand expand = MarkExpand.After) =>
        Mark(text, start, end, name, ScalarValue.Null, expand);

    private SequenceState RequireText(ObjId text)
    {
        var seq = _doc.RequireSequence(text);
        if (seq.Type != ObjType.Text)
        {
            throw new ArgumentException("Object " + text + " is not a text.", nameof(text));
        }

        return seq;
    }

    private static void RequireBoundary(SequenceState seq, int offset, TextEncoding encoding, string paramName)
    {
        if (offset > 0 && offset < seq.LengthIn(encoding))
        {
            seq.Tree.FindByOffset(offset, encoding, out var start);
            if (start != offset)
            {
                throw new ArgumentException("The position splits a character (a surrogate pair or a multi-character element).", paramName);
            }
        }
    }

    private static List<string> SplitRunes(string text)
    {
        var runes = new List<string>(text.Length);
        var span = text.AsSpan();
        while (!span.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(span, out _, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                throw new ArgumentException("The text contains a lone surrogate.", nameof(text));
            }

            runes.Add(consumed == 1 && span[0] < 0x80 ? AsciiStrings[span[0]] : span[..consumed].ToString());
            span = span[consumed..];
        }

        return runes;
    }

    private static string[] CreateAsciiStrings()
    {
        var strings = new string[128];
        for (var i = 0; i < strings.Length; i++)
        {
            strings[i] = ((char)i).ToString();
        }

        return strings;
    }
}
