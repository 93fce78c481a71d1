using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.Binary;

/// <summary>
/// Checks, while a document chunk's ops are read in stored order, that every mark end op (action 7 without a
/// name) comes after the mark begin op it closes (counter − 1, same actor) and in the same object — the check
/// Automerge 3.x makes when loading a document ("invalid mark operation order: mark end … occurs before mark
/// begin …"; fixture <c>broken_zero_width_mark.automerge</c>). Strict, like 3.x <c>load()</c>: there is no rescue mode.
/// </summary>
/// <remarks>Not thread-safe; one instance per document chunk.</remarks>
internal sealed class MarkOrderValidator
{
    private readonly Dictionary<OpId, ObjId> _begins = new();

    /// <summary>Records a mark begin, or checks a mark end against the begins seen so far.</summary>
    /// <param name="id">The mark op's id.</param>
    /// <param name="obj">The object the op belongs to.</param>
    /// <param name="name">The mark name; <see langword="null"/> for an end op.</param>
    /// <exception cref="AutomergeFormatException">An end op whose begin was not seen earlier, or lies in another object.</exception>
    public void Process(OpId id, ObjId obj, string? name)
    {
        if (name is not null)
        {
            _begins[id] = obj;
            return;
        }

        var begin = new OpId(id.Counter - 1, id.Actor);
        if (!_begins.TryGetValue(begin, out var beginObj))
        {
            throw new AutomergeFormatException("Invalid mark operation order: mark end " + id + " occurs before mark begin " + begin + ".");
        }

        if (beginObj != obj)
        {
            throw new AutomergeFormatException("Invalid mark operation order: mark end " + id + " references mark begin " + begin + " in a different object.");
        }
    }
}
