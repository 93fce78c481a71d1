using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.OpSet;

/// <summary>
/// Chooses the reference element of a local insert at a visible position, the way Automerge does (Rust
/// <c>InsertQuery</c>, Peritext expand rules; spec <c>automerge.md</c> §1 "Local inserts next to marks"), so that
/// the same edit made here and in Automerge JS produces the same op.
/// </summary>
/// <remarks>
/// <para>Without marks, the reference is the last visible element before the position (or <c>_head</c>).</para>
/// <para>With marks, every element between that one and the next visible element (tombstones and mark ops) is
/// considered, left to right. Candidate references start with the last visible element; a mark begin whose expand
/// flag ("before") is set, and a mark end whose expand flag ("after") is clear, add themselves as candidates
/// (inserting after them puts the text inside a growing mark, or outside a closed one); a mark end whose begin
/// is itself a candidate in this gap (a zero-width mark) removes that candidate and every later one, so text
/// never lands inside a zero-width mark. The last remaining candidate is the reference.</para>
/// <para>Stateless; not thread-safe with respect to the sequence it reads.</para>
/// </remarks>
internal static class SequenceInsertion
{
    /// <summary>
    /// The element a new element inserted at visible position <paramref name="index"/> must reference;
    /// <see langword="null"/> means <c>_head</c>.
    /// </summary>
    /// <param name="seq">The list or text.</param>
    /// <param name="index">0..length, counted in <paramref name="encoding"/> for text and in elements for lists.</param>
    /// <param name="encoding">How text positions are counted.</param>
    public static SequenceElement? FindReference(SequenceState seq, int index, TextEncoding encoding)
    {
        SequenceElement? last = null;
        if (index > 0)
        {
            last = seq.Type == ObjType.Text
                ? seq.Tree.FindByOffset(index - 1, encoding, out _)
                : seq.Tree.FindVisible(index - 1);
            if (last is null)
            {
                throw new ArgumentOutOfRangeException(nameof(index), index, "Index is past the end of the sequence.");
            }
        }

        if (seq.MarkCount == 0)
        {
            return last;
        }

        var scan = last is null ? seq.Tree.First() : SequenceTree.Next(last);
        List<(SequenceElement? Reference, OpId? Mark)>? candidates = null;
        for (var element = scan; element is not null; element = SequenceTree.Next(element))
        {
            if (element.InsertOp is MarkOpRecord mark)
            {
                candidates ??= [(last, null)];
                Consider(candidates, element, mark);
            }

            if (element.CountedVisible)
            {
                break;
            }
        }

        return candidates is null ? last : candidates[^1].Reference;
    }

    private static void Consider(List<(SequenceElement? Reference, OpId? Mark)> candidates, SequenceElement element, MarkOpRecord mark)
    {
        if (!mark.IsBegin)
        {
            var begin = mark.BeginId;
            for (var i = 1; i < candidates.Count; i++)
            {
                if (candidates[i].Mark == begin)
                {
                    // A begin/end pair inside this gap: positions between them (and after) are not valid.
                    candidates.RemoveRange(i, candidates.Count - i);
                    return;
                }
            }
        }

        if (mark.IsBegin ? mark.Expand : !mark.Expand)
        {
            candidates.Add((element, mark.Id));
        }
    }
}
