using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.Binary;

/// <summary>Actor → column index, remembering the last actor looked up (consecutive ops mostly share one).</summary>
/// <remarks>Not thread-safe.</remarks>
internal sealed class ActorLookup(IReadOnlyDictionary<ActorId, int> actorIndex)
{
    private ActorId _last;
    private ulong _lastIndex;
    private bool _hasLast;

    /// <summary>The index of <paramref name="actor"/>.</summary>
    /// <exception cref="ArgumentException">The actor is not in the table.</exception>
    public ulong IndexOf(ActorId actor)
    {
        if (_hasLast && actor.Equals(_last))
        {
            return _lastIndex;
        }

        if (!actorIndex.TryGetValue(actor, out var index))
        {
            throw new ArgumentException("Actor " + actor + " is not in the document's actor table.", nameof(actor));
        }

        _last = actor;
        _lastIndex = (ulong)index;
        _hasLast = true;
        return _lastIndex;
    }
}
