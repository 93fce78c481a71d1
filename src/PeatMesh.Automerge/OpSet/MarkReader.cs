using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.OpSet;

/// <summary>
/// Computes the mark spans of a sequence as Automerge's <c>marks()</c> reports them (Rust <c>MarkStateMachine</c>
/// and <c>MarkAccumulator</c>; spec <c>automerge.md</c> §1): walking the elements in order, a mark begin op makes
/// its (name, value) active and the end op whose counter is one more (same actor) deactivates it; where several
/// active marks share a name, the one with the greatest OpId decides the value, and a null value (an unmark)
/// means "not marked". Spans of equal value that touch are merged; the result is sorted by name (UTF-8 order),
/// then by start.
/// </summary>
/// <remarks>O(n) in the number of elements (tombstones included). Stateless; not thread-safe with respect to the sequence it reads.</remarks>
internal static class MarkReader
{
    /// <summary>The mark spans of <paramref name="seq"/>, positions counted in <paramref name="encoding"/>.</summary>
    public static List<MarkSpan> Read(SequenceState seq, TextEncoding encoding)
    {
        var result = new List<MarkSpan>();
        if (seq.MarkCount == 0)
        {
            return result;
        }

        var active = new List<MarkOpRecord>(); // open mark begins, ascending by OpId
        var spans = new Dictionary<string, List<(int Start, int Length, ScalarValue Value)>>(StringComparer.Ordinal);
        List<(string Name, ScalarValue Value)> current = [];
        var dirty = false;
        int index = 0, runStart = 0, runLength = 0;
        foreach (var element in seq.Tree.All())
        {
            if (element.InsertOp is MarkOpRecord mark && mark.Hiders == 0)
            {
                dirty |= mark.IsBegin ? Open(active, mark) : Close(active, mark.BeginId);
            }

            if (!element.CountedVisible)
            {
                continue;
            }

            if (dirty)
            {
                dirty = false;
                var next = Resolve(active);
                if (!SameMarks(current, next))
                {
                    Accumulate(spans, current, runStart, runLength);
                    current = next;
                    runStart = index;
                    runLength = 0;
                }
            }

            var width = seq.WidthOf(element, encoding);
            runLength += width;
            index += width;
        }

        Accumulate(spans, current, runStart, runLength);
        var names = spans.Keys.ToList();
        names.Sort(Utf8KeyComparer.Instance);
        foreach (var name in names)
        {
            foreach (var (start, length, value) in spans[name])
            {
                if (!value.IsNull)
                {
                    result.Add(new MarkSpan(name, value, start, start + length));
                }
            }
        }

        return result;
    }

    private static bool Open(List<MarkOpRecord> active, MarkOpRecord begin)
    {
        var i = active.Count;
        while (i > 0 && active[i - 1].Id.CompareTo(begin.Id) > 0)
        {
            i--;
        }

        if (i > 0 && active[i - 1].Id == begin.Id)
        {
            return false;
        }

        active.Insert(i, begin);
        return true;
    }

    private static bool Close(List<MarkOpRecord> active, OpId beginId)
    {
        for (var i = active.Count - 1; i >= 0; i--)
        {
            if (active[i].Id == beginId)
            {
                active.RemoveAt(i);
                return true;
            }
        }

        return false;
    }

    /// <summary>Per name, the value of the active begin with the greatest OpId (null values included), sorted by name.</summary>
    private static List<(string Name, ScalarValue Value)> Resolve(List<MarkOpRecord> active)
    {
        var result = new List<(string Name, ScalarValue Value)>();
        for (var i = active.Count - 1; i >= 0; i--)
        {
            var name = active[i].Name!;
            if (!result.Exists(m => string.Equals(m.Name, name, StringComparison.Ordinal)))
            {
                result.Add((name, active[i].Value));
            }
        }

        result.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return result;
    }

    private static bool SameMarks(List<(string Name, ScalarValue Value)> a, List<(string Name, ScalarValue Value)> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Count; i++)
        {
            if (!string.Equals(a[i].Name, b[i].Name, StringComparison.Ordinal) || a[i].Value != b[i].Value)
            {
                return false;
            }
        }

        return true;
    }

    private static void Accumulate(
        Dictionary<string, List<(int Start, int Length, ScalarValue Value)>> spans,
        List<(string Name, ScalarValue Value)> marks,
        int start,
        int length)
    {
        if (length == 0)
        {
            return;
        }

        foreach (var (name, value) in marks)
        {
            if (!spans.TryGetValue(name, out var list))
            {
                list = [];
                spans.Add(name, list);
            }

            if (list.Count > 0 && list[^1].Value == value && list[^1].Start + list[^1].Length == start)
            {
                list[^1] = (list[^1].Start, list[^1].Length + length, value);
            }
            else
            {
                list.Add((start, length, value));
            }
        }
    }
}
