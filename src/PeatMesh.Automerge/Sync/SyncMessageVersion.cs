namespace PeatMesh.Automerge.Sync;

/// <summary>
/// The first byte of an Automerge sync message (Automerge sync protocol §4.1 "Message layout").
/// </summary>
public enum SyncMessageVersion : byte
{
    /// <summary>Version 1 (<c>0x42</c>): <see cref="SyncMessage.Changes"/> holds one change chunk per entry.
    /// 3.x sends it first to a peer whose capabilities are unknown.</summary>
    V1 = 0x42,

    /// <summary>Version 2 (<c>0x43</c>): <see cref="SyncMessage.Changes"/> holds at most one entry with
    /// concatenated change chunks or a whole saved document.</summary>
    V2 = 0x43,
}
