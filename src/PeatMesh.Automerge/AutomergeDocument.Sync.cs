using PeatMesh.Automerge.Binary;
using PeatMesh.Automerge.Model;
using PeatMesh.Automerge.Sync;

namespace PeatMesh.Automerge;

public sealed partial class AutomergeDocument
{
    /// <summary>
    /// Produces the next sync message for the peer tracked by <paramref name="state"/>, or
    /// <see langword="null"/> when there is nothing to say (in sync, or waiting for the peer's answer).
    /// Implements spec <c>automerge.md</c> §4.4: heads, need (missing dependencies), have (bloom filter
    /// of our changes since the shared heads), the changes the peer lacks (V1: one chunk per entry;
    /// V2: concatenated in one entry, or the whole document when the peer is empty or lacks more than
    /// a third of our changes), and the flags trailer.
    /// </summary>
    /// <exception cref="InvalidOperationException">A transaction is open.</exception>
    public SyncMessage? GenerateSyncMessage(SyncState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        EnsureNoTransaction();
        var ourHeads = _graph.Heads;
        var theirHeads = state.TheirHeads ?? [];
        IReadOnlyList<ChangeHash> ourNeed = state.ReadOnly ? [] : GetMissingDeps(theirHeads);
        var ourHave = ourNeed.All(theirHeads.Contains) ? new[] { MakeHave(state.SharedHeads) } : [];

        if (state.TheirHave is { Count: > 0 } theirHave && !theirHave[0].LastSync.All(_graph.Contains))
        {
            return new SyncMessage
            {
                Version = SyncMessageVersion.V1,
                Heads = ourHeads,
                Need = [],
                Have = [new SyncHave([], BloomFilter.Empty)],
                Changes = [],
                Flags = SyncMessageFlags.SupportsSyncReset,
            };
        }

        List<ChangeHash> hashes = [];
        IReadOnlyList<ReadOnlyMemory<byte>> payload = [];
        if (!state.PeerReadOnly && state.TheirHave is { } have && state.TheirNeed is { } need)
        {
            if (state.TheirHeads is { Count: 0 } && state.PeerSupportsV2)
            {
                (payload, hashes) = WholeDocumentPayload();
            }
            else
            {
                hashes = HashesToSend(have, need);
                hashes.RemoveAll(state.SentHashSet.Contains);
                if (hashes.Count > _graph.Count / 3 && state.PeerSupportsV2)
                {
                    (payload, hashes) = WholeDocumentPayload();
                }
                else
                {
                    payload = ChangesPayload(hashes, state.PeerSupportsV2);
                }
            }
        }

        if (state.HaveResponded && ourHeads.SequenceEqual(state.LastSentHeads))
        {
            if ((theirHeads.SequenceEqual(ourHeads) || state.ReadOnly) && hashes.Count == 0)
            {
                return null;
            }

            if (state.InFlight)
            {
                return null;
            }
        }

        state.HaveResponded = true;
        state.LastSentHeads = ourHeads;
        state.SentHashSet.UnionWith(hashes);
        var flags = SyncMessageFlags.SupportsSyncReset | (state.ReadOnly ? SyncMessageFlags.ReadOnly : SyncMessageFlags.None);
        var heads = ourHeads;
        if (state.NeedsReset)
        {
            state.NeedsReset = false;
            if (state.PeerSupportsSyncReset)
            {
                flags |= SyncMessageFlags.SyncReset;
            }
            else
            {
                heads = [];
            }
        }

        state.InFlight = true;
        return new SyncMessage
        {
            Version = state.PeerSupportsV2 ? SyncMessageVersion.V2 : SyncMessageVersion.V1,
            Heads = heads,
            Need = ourNeed,
            Have = ourHave,
            Changes = payload,
            Flags = flags,
        };
    }

    /// <summary>
    /// Processes a sync message from the peer tracked by <paramref name="state"/> (spec §4.5): records
    /// its capabilities and flags, applies the changes it carries (unless <see cref="SyncState.ReadOnly"/>),
    /// and updates shared heads, sent hashes and what the peer has and needs.
    /// </summary>
    /// <exception cref="InvalidOperationException">A transaction is open.</exception>
    /// <exception cref="AutomergeFormatException">The carried changes are malformed or inconsistent.</exception>
    public void ReceiveSyncMessage(SyncState state, SyncMessage message)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(message);
        EnsureNoTransaction();
        state.InFlight = false;
        var before = _graph.Heads;
        var messageHeads = message.Heads.Order().ToArray();

        if (message.Flags is { } flags)
        {
            state.PeerSupportsV2 = true;
            state.PeerSupportsSyncReset = flags.HasFlag(SyncMessageFlags.SupportsSyncReset);
            if (flags.HasFlag(SyncMessageFlags.SyncReset))
            {
                state.SentHashSet.Clear();
            }

            state.PeerReadOnly = flags.HasFlag(SyncMessageFlags.ReadOnly);
        }

        var hasChanges = message.Changes.Count > 0;
        if (hasChanges && !state.ReadOnly)
        {
            var changes = new List<Change>();
            DocumentChunkContents? leading = null;
            for (var e = 0; e < message.Changes.Count; e++)
            {
                changes.AddRange(DecodeChanges(message.Changes[e], _deflateCache, out var entryLeading));
                leading = e == 0 ? entryLeading : leading;
            }

            ApplyLoaded(changes, leading, storeLoaded: null);
            var after = _graph.Heads;
            var shared = new SortedSet<ChangeHash>(after.Except(before));
            shared.UnionWith(state.SharedHeads.Intersect(after));
            state.SharedHeads = [.. shared];
        }

        if (state.SentHashSet.Count > 0)
        {
            var mask = _graph.AncestorMask(messageHeads);
            state.SentHashSet.RemoveWhere(h => _graph.IndexOf(h) is var i && i >= 0 && mask[i]);
        }

        if (!hasChanges && messageHeads.SequenceEqual(before))
        {
            state.LastSentHeads = messageHeads;
        }

        var known = messageHeads.Where(_graph.Contains).ToList();
        if (known.Count == messageHeads.Length)
        {
            state.SharedHeads = messageHeads;
            if (messageHeads.Length == 0)
            {
                state.LastSentHeads = [];
                state.SentHashSet.Clear();
            }
        }
        else
        {
            state.SharedHeads = [.. new SortedSet<ChangeHash>(state.SharedHeads.Concat(known))];
        }

        state.TheirHave = message.Have;
        state.TheirHeads = messageHeads;
        state.TheirNeed = message.Need;
    }

    private SyncHave MakeHave(IReadOnlyList<ChangeHash> lastSync)
    {
        var hashes = _graph.ChangesSince(lastSync).ConvertAll(c => c.Hash);
        return new SyncHave(lastSync, BloomFilter.Create(hashes));
    }

    /// <summary>Spec §4.4 hashesToSend: what the peer needs and what its bloom filters lack, with dependents.</summary>
    private List<ChangeHash> HashesToSend(IReadOnlyList<SyncHave> have, IReadOnlyList<ChangeHash> need)
    {
        var ourNeed = need.Where(_graph.Contains).ToList();
        if (have.Count == 0)
        {
            return ourNeed;
        }

        var lastSync = new HashSet<ChangeHash>();
        foreach (var h in have)
        {
            lastSync.UnionWith(h.LastSync);
        }

        var candidates = _graph.ChangesSince(lastSync);
        var toSend = new HashSet<ChangeHash>();
        var dependents = new Dictionary<ChangeHash, List<ChangeHash>>();
        foreach (var change in candidates)
        {
            foreach (var dep in change.Deps)
            {
                if (!dependents.TryGetValue(dep, out var list))
                {
                    list = [];
                    dependents.Add(dep, list);
                }

                list.Add(change.Hash);
            }

            if (!have.Any(h => h.Bloom.Contains(change.Hash)))
            {
                toSend.Add(change.Hash);
            }
        }

        var stack = new Stack<ChangeHash>(toSend);
        while (stack.Count > 0)
        {
            if (dependents.TryGetValue(stack.Pop(), out var list))
            {
                foreach (var dependent in list)
                {
                    if (toSend.Add(dependent))
                    {
                        stack.Push(dependent);
                    }
                }
            }
        }

        var result = ourNeed.Where(h => !toSend.Contains(h)).ToList();
        foreach (var change in candidates)
        {
            if (toSend.Contains(change.Hash))
            {
                result.Add(change.Hash);
            }
        }

        return result;
    }

    /// <summary>
    /// The V2 "whole document" payload: what <see cref="Save"/> returns (a document chunk, then any orphaned changes),
    /// as 3.x sends it, without moving the <see cref="SaveIncremental"/> marker.
    /// </summary>
    private (IReadOnlyList<ReadOnlyMemory<byte>> Payload, List<ChangeHash> Hashes) WholeDocumentPayload()
    {
        var hashes = new List<ChangeHash>(_graph.Count);
        for (var i = 0; i < _graph.Count; i++)
        {
            hashes.Add(_graph.HashAt(i));
        }

        var bytes = AppendOrphans(DocumentChunkWriter.Write(_graph.Changes, deflate: true, _deflateCache, _graph.DepsOf));
        return ([bytes], hashes);
    }

    private List<ReadOnlyMemory<byte>> ChangesPayload(List<ChangeHash> hashes, bool v2)
    {
        var changes = hashes.ConvertAll(h => _graph.Get(h)!);
        if (!v2)
        {
            return changes.ConvertAll(c => c.RawBytes);
        }

        var bytes = Concat(changes, 0, []);
        return bytes.Length == 0 ? [] : [bytes];
    }
}
