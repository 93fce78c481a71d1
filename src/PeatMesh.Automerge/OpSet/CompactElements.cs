using PeatMesh.Automerge.Binary;
using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.OpSet;

/// <summary>
/// What a <see cref="SequenceTree"/> needs to turn its compact leaves (<see cref="CompactSlot"/>s written by a
/// document load) into <see cref="SequenceElement"/> objects on first use: the object they belong to, the actor table
/// their packed ids index, and where to register each new element (the op store's id index).
/// </summary>
/// <remarks>Not thread-safe; owned by one tree.</remarks>
/// <param name="owner">The list or text the elements belong to.</param>
/// <param name="actors">The actor table of the packed ids (the loaded document chunk's).</param>
/// <param name="materialized">Called once per element created from a slot, in sequence order.</param>
internal sealed class CompactElements(ObjectState owner, DocumentActors actors, Action<SequenceElement> materialized)
{
    /// <summary>The object the elements belong to.</summary>
    public ObjectState Owner { get; } = owner;

    /// <summary>Number of elements still held as slots.</summary>
    public int Count { get; private set; }

    /// <summary>The leaves created compact (some may hold objects by now: see <see cref="SequenceLeaf.IsCompact"/>).</summary>
    public List<SequenceLeaf> Leaves { get; } = [];

    /// <summary>Adds a compact leaf just created over this context.</summary>
    public void Add(SequenceLeaf leaf)
    {
        Leaves.Add(leaf);
        Count += leaf.Count;
    }

    /// <summary>The op id of packed id <paramref name="packed"/>.</summary>
    public OpId ToOpId(ulong packed) => actors.ToOpId(packed);

    /// <summary>
    /// Creates the element objects of compact leaf <paramref name="leaf"/> from its <paramref name="slots"/>, with
    /// their hiders and counted widths; the caller switches the leaf to them, then calls <see cref="Register"/>.
    /// </summary>
    /// <returns>An array of <see cref="SequenceNode.Capacity"/> holding the elements.</returns>
    public SequenceElement[] CreateElements(SequenceLeaf leaf, ReadOnlySpan<CompactSlot> slots)
    {
        var items = new SequenceElement[SequenceNode.Capacity];
        for (var i = 0; i < slots.Length; i++)
        {
            ref readonly var slot = ref slots[i];
            var element = new SequenceElement(ToOpId(slot.Id), Owner, ReferenceOf(slots, items, i), OpAction.Set, slot.Value)
            {
                Hiders = slot.Hiders,
                Leaf = leaf,
            };
            element.SetCounted(slot.Visible, slot.Width, slot.CodePoints);
            items[i] = element;
        }

        return items;
    }

    /// <summary>Registers elements just created by <see cref="CreateElements"/> (they are no longer slots).</summary>
    public void Register(ReadOnlySpan<SequenceElement> elements)
    {
        Count -= elements.Length;
        foreach (var element in elements)
        {
            materialized(element);
        }
    }

    /// <summary>
    /// The reference of slot <paramref name="i"/> as an insert record holds it: null for <c>_head</c>, the element
    /// object when it is an earlier slot of the same leaf (typing forwards: nearly always the previous one), else its id.
    /// </summary>
    private object? ReferenceOf(ReadOnlySpan<CompactSlot> slots, SequenceElement[] items, int i)
    {
        var reference = slots[i].Reference;
        if (reference == 0)
        {
            return null;
        }

        for (var j = i - 1; j >= 0; j--)
        {
            if (slots[j].Id == reference)
            {
                return items[j];
            }
        }

        return new ElementReference(ToOpId(reference));
    }
}
