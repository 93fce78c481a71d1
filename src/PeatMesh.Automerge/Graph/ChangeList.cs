using System.Collections;
using PeatMesh.Automerge.Binary;
using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.Graph;

/// <summary>
/// A document's applied changes in application order: the changes of the document chunk it was loaded from
/// (<see cref="LoadedChanges"/>, created on first read), then the changes applied since.
/// </summary>
/// <remarks>Not thread-safe for writes; reads may create loaded changes (see <see cref="LoadedChanges"/>).</remarks>
internal sealed class ChangeList : IReadOnlyList<Change>
{
    private readonly List<Change> _added = [];
    private LoadedChanges? _loaded;
    private int _loadedCount;

    /// <inheritdoc />
    public int Count => _loadedCount + _added.Count;

    /// <summary>The change at <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside 0..Count-1.</exception>
    public Change this[int index] => index < _loadedCount && index >= 0 ? _loaded![index] : _added[index - _loadedCount];

    /// <summary>The hash of the change at <paramref name="index"/>, without creating a loaded change.</summary>
    public ChangeHash HashAt(int index) => index < _loadedCount && index >= 0 ? _loaded!.HashAt(index) : _added[index - _loadedCount].Hash;

    /// <summary>Starts the (empty) list with a loaded document's changes.</summary>
    /// <exception cref="InvalidOperationException">The list is not empty.</exception>
    public void Load(LoadedChanges changes)
    {
        if (Count != 0)
        {
            throw new InvalidOperationException("Only an empty change list can be loaded.");
        }

        _loaded = changes;
        _loadedCount = changes.Count;
    }

    /// <summary>Appends an applied change.</summary>
    public void Add(Change change) => _added.Add(change);

    /// <inheritdoc />
    public IEnumerator<Change> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
