using System.Text;
using PeatMesh.Automerge.Model;
using PeatMesh.Automerge.OpSet;

namespace PeatMesh.Automerge;

public sealed partial class AutomergeDocument
{
    /// <summary>The value at <paramref name="key"/> of a map: the visible op with the greatest OpId (spec §1).</summary>
    /// <param name="obj">A map or table (e.g. <see cref="ObjId.Root"/>).</param>
    /// <param name="key">The key.</param>
    /// <returns>The winning value, or <see langword="null"/> when the key is absent or deleted.</returns>
    /// <exception cref="ArgumentException"><paramref name="obj"/> is unknown or not a map.</exception>
    public AutomergeValue? Get(ObjId obj, string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return RequireMap(obj).Winner(key)?.ToValue();
    }

    /// <summary>
    /// The element at <paramref name="index"/> of a list, or the character covering offset <paramref name="index"/>
    /// of a text (counted in <see cref="TextEncoding"/> units: UTF-16 code units by default).
    /// </summary>
    /// <returns>The winning value, or <see langword="null"/> when <paramref name="index"/> is out of range.</returns>
    /// <exception cref="ArgumentException"><paramref name="obj"/> is unknown or not a list/text.</exception>
    public AutomergeValue? Get(ObjId obj, int index) => RequireSequence(obj).ElementAt(index, _textEncoding)?.Winner?.ToValue();

    /// <summary>All visible values at a map key (the winner and its conflicts), ascending by OpId.</summary>
    /// <exception cref="ArgumentException"><paramref name="obj"/> is unknown or not a map.</exception>
    public IReadOnlyList<AutomergeValue> GetAll(ObjId obj, string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return RequireMap(obj).VisibleOps(key).ConvertAll(op => op.ToValue());
    }

    /// <summary>
    /// All visible values of a list element (the winner and its conflicts), ascending by OpId; for text, of the
    /// character covering offset <paramref name="index"/> in <see cref="TextEncoding"/> units.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="obj"/> is unknown or not a list/text.</exception>
    public IReadOnlyList<AutomergeValue> GetAll(ObjId obj, int index)
    {
        var element = RequireSequence(obj).ElementAt(index, _textEncoding);
        var result = new List<AutomergeValue>();
        if (element is not null)
        {
            foreach (var op in element.Ops)
            {
                if (op.Visible)
                {
                    result.Add(op.ToValue());
                }
            }
        }

        return result;
    }

    /// <summary>The visible keys of a map, in Automerge's order (ascending by UTF-8 bytes).</summary>
    /// <exception cref="ArgumentException"><paramref name="obj"/> is unknown or not a map.</exception>
    public IReadOnlyList<string> Keys(ObjId obj)
    {
        var map = RequireMap(obj);
        var keys = new List<string>(map.Entries.Count);
        foreach (var (key, ops) in map.Entries)
        {
            if (ops.Exists(op => op.Visible))
            {
                keys.Add(key);
            }
        }

        keys.Sort(Utf8KeyComparer.Instance);
        return keys;
    }

    /// <summary>
    /// Map: number of visible keys; list: number of elements; text: length in <see cref="TextEncoding"/> units
    /// (UTF-16 code units by default, as JS <c>string.length</c>).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="obj"/> is unknown.</exception>
    public int Length(ObjId obj) => RequireObject(obj) switch
    {
        SequenceState seq => seq.LengthIn(_textEncoding),
        MapState map => map.Entries.Count(e => e.Value.Exists(op => op.Visible)),
        _ => 0,
    };

    /// <summary>
    /// The content of a text (or list) object: the visible string elements concatenated; any other
    /// element (an embedded object or non-string scalar) appears as U+FFFC.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="obj"/> is unknown or not a list/text.</exception>
    public string Text(ObjId obj)
    {
        var seq = RequireSequence(obj);
        var sb = new StringBuilder(seq.Tree.Width);
        seq.Tree.AppendText(sb);
        return sb.ToString();
    }

    /// <summary>The type of object <paramref name="obj"/>, or <see langword="null"/> when the document has no such object.</summary>
    public ObjType? ObjectType(ObjId obj) => _store.GetObject(obj)?.Type;

    /// <summary>
    /// The visible values of a list or text in order (for text: one per element, i.e. per code point),
    /// or of a map in key order.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="obj"/> is unknown.</exception>
    public IReadOnlyList<AutomergeValue> Values(ObjId obj)
    {
        var state = RequireObject(obj);
        var result = new List<AutomergeValue>();
        if (state is SequenceState seq)
        {
            foreach (var element in seq.Tree.VisibleElements())
            {
                result.Add(element.Winner!.ToValue());
            }
        }
        else
        {
            var map = (MapState)state;
            foreach (var key in Keys(obj))
            {
                result.Add(map.Winner(key)!.ToValue());
            }
        }

        return result;
    }

    internal MapState RequireMap(ObjId obj) => RequireObject(obj) as MapState
        ?? throw new ArgumentException("Object " + obj + " is not a map.", nameof(obj));

    internal SequenceState RequireSequence(ObjId obj) => RequireObject(obj) as SequenceState
        ?? throw new ArgumentException("Object " + obj + " is not a list or text.", nameof(obj));
}
