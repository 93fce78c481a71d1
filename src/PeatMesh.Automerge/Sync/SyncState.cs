using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.Sync;

/// <summary>
/// The state of one document's sync session with one peer (Automerge sync protocol, spec
/// <c>automerge.md</c> §4.3). Create one per (document, peer); pass it to
/// <see cref="AutomergeDocument.GenerateSyncMessage"/> and <see cref="AutomergeDocument.ReceiveSyncMessage"/>.
/// </summary>
/// <remarks>
/// Not thread-safe. Only <see cref="SharedHeads"/> survives <see cref="Encode"/>/<see cref="Decode"/>
/// (the <c>encodeSyncState</c> format, <c>43 | uLEB n | n×32 bytes</c>); persist it per peer so a
/// reconnecting peer only exchanges what changed since. The protocol assumes a reliable, ordered
/// channel: after a lost message, start a new session (a fresh or decoded state) to recover.
/// </remarks>
public sealed class SyncState
{
    private readonly HashSet<ChangeHash> _sentHashes = [];

    /// <summary>Heads both peers are known to have, sorted.</summary>
    public IReadOnlyList<ChangeHash> SharedHeads { get; internal set; } = [];

    /// <summary>The heads we sent last, sorted.</summary>
    public IReadOnlyList<ChangeHash> LastSentHeads { get; internal set; } = [];

    /// <summary>The peer's heads from its last message; <see langword="null"/> before any message.</summary>
    public IReadOnlyList<ChangeHash>? TheirHeads { get; internal set; }

    /// <summary>The hashes the peer asked for in its last message; <see langword="null"/> before any message.</summary>
    public IReadOnlyList<ChangeHash>? TheirNeed { get; internal set; }

    /// <summary>The peer's have entries (last sync + bloom) from its last message; empty after <see cref="Decode"/>.</summary>
    public IReadOnlyList<SyncHave>? TheirHave { get; internal set; }

    /// <summary>Hashes of the changes sent in this session and not yet known to be received.</summary>
    public IReadOnlyCollection<ChangeHash> SentHashes => _sentHashes;

    /// <summary>Whether a message we sent has not been answered yet.</summary>
    public bool InFlight { get; internal set; }

    /// <summary>Whether we have sent at least one message in this session.</summary>
    public bool HaveResponded { get; internal set; }

    /// <summary>Whether the peer sent the capability trailer, i.e. understands V2 messages.</summary>
    public bool PeerSupportsV2 { get; internal set; }

    /// <summary>Whether the peer announced <see cref="SyncMessageFlags.SupportsSyncReset"/>.</summary>
    public bool PeerSupportsSyncReset { get; internal set; }

    /// <summary>Whether the peer announced it is read-only (we then send it no changes).</summary>
    public bool PeerReadOnly { get; internal set; }

    /// <summary>
    /// When true, we act read-only towards this peer: received changes are ignored, we ask for
    /// nothing, and our messages carry <see cref="SyncMessageFlags.ReadOnly"/>. Defaults to false.
    /// </summary>
    public bool ReadOnly { get; set; }

    /// <summary>Whether our next message asks the peer to reset its view of us (see <see cref="RequestReset"/>).</summary>
    public bool NeedsReset { get; internal set; }

    internal HashSet<ChangeHash> SentHashSet => _sentHashes;

    /// <summary>
    /// Makes the next generated message a reset: flagged <see cref="SyncMessageFlags.SyncReset"/> when the
    /// peer supports it (it then forgets what it sent us), otherwise sent with empty heads.
    /// </summary>
    public void RequestReset() => NeedsReset = true;

    /// <summary>Encodes the part of the state worth persisting (the shared heads).</summary>
    public byte[] Encode() => SyncStateEncoding.Encode(SharedHeads);

    /// <summary>Restores a persisted state: shared heads kept, everything else reset (their have = empty).</summary>
    /// <exception cref="AutomergeFormatException">Malformed input.</exception>
    public static SyncState Decode(ReadOnlySpan<byte> data)
    {
        var heads = SyncStateEncoding.Decode(data).ToArray();
        Array.Sort(heads);
        return new SyncState { SharedHeads = heads, TheirHave = [] };
    }

    /// <summary>A debugging representation (hash counts only).</summary>
    public override string ToString() =>
        $"SyncState(shared={SharedHeads.Count} sent={_sentHashes.Count} inFlight={InFlight} v2={PeerSupportsV2})";
}
