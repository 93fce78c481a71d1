using PeatMesh.Automerge.Model;
using PeatMesh.Automerge.OpSet;

namespace PeatMesh.Automerge;

public sealed partial class AutomergeDocument
{
    private TextEncoding _textEncoding = TextEncoding.Utf16CodeUnit;

    /// <summary>
    /// How positions and lengths of text objects are counted by <see cref="Length"/>, <see cref="Get(ObjId, int)"/>,
    /// <see cref="GetAll(ObjId, int)"/>, <see cref="Marks"/> and the transaction methods
    /// <see cref="Transaction.SpliceText"/>, <see cref="Transaction.Mark"/> and <see cref="Transaction.Unmark"/>.
    /// </summary>
    /// <remarks>
    /// Defaults to <see cref="TextEncoding.Utf16CodeUnit"/>, the unit of Automerge JS, so indexes exchanged with JS
    /// peers mean the same characters. <see cref="TextEncoding.UnicodeCodePoint"/> counts every character as 1 (as
    /// Automerge Rust's <c>TextEncoding::UnicodeCodePoint</c>). The setting affects reads and edits only, never the
    /// stored ops; <see cref="Fork"/> copies it. Lists are always indexed by element.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined <see cref="Model.TextEncoding"/>.</exception>
    public TextEncoding TextEncoding
    {
        get => _textEncoding;
        set
        {
            if (value is not (TextEncoding.Utf16CodeUnit or TextEncoding.UnicodeCodePoint))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "Unknown text encoding.");
            }

            _textEncoding = value;
        }
    }

    /// <summary>
    /// The marks of a text as Automerge JS <c>marks()</c> returns them: one <see cref="MarkSpan"/> per maximal range
    /// over which a mark name has the same non-null value, sorted by name (UTF-8 order) then start; positions in
    /// <see cref="TextEncoding"/> units.
    /// </summary>
    /// <remarks>
    /// Semantics (Peritext as implemented by Automerge 3.x; spec <c>automerge.md</c> §1): a mark covers the visible
    /// characters between its begin and end ops; where marks of the same name overlap, the one whose begin op has
    /// the greatest OpId wins (so a later mark, or the winner of concurrent ones, decides); a winning null value
    /// (<see cref="Transaction.Unmark"/>) removes the mark there. Marks that cover no visible character are not
    /// reported. O(n) in the number of elements, tombstones included.
    /// </remarks>
    /// <param name="obj">A text (or list) object.</param>
    /// <returns>The spans; empty when the object has no marks.</returns>
    /// <exception cref="ArgumentException"><paramref name="obj"/> is unknown or not a text or list.</exception>
    public IReadOnlyList<MarkSpan> Marks(ObjId obj) => MarkReader.Read(RequireSequence(obj), _textEncoding);
}
