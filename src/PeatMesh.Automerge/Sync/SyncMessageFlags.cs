namespace PeatMesh.Automerge.Sync;

/// <summary>
/// Bits of the 3.x sync-message flags trailer (Automerge sync protocol §4.1): the trailer byte with the
/// high bit set carries <c>0x80 | flags</c>.
/// </summary>
[Flags]
public enum SyncMessageFlags : byte
{
    /// <summary>No flags (an old-style capability trailer such as <c>01 02</c> decodes to this).</summary>
    None = 0,

    /// <summary>The sender lost its sync state and asks the receiver to forget what it sent (<c>0x01</c>).</summary>
    SyncReset = 0x01,

    /// <summary>The sender will not apply changes it receives (<c>0x02</c>).</summary>
    ReadOnly = 0x02,

    /// <summary>The sender understands <see cref="SyncReset"/> (<c>0x04</c>; 3.x always sets it).</summary>
    SupportsSyncReset = 0x04,
}
