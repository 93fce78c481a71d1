namespace PeatMesh.Transport;

/// <summary>
/// Names of the protocols multiplexed on a mesh connection, written like ALPN identifiers
/// (decision 3). A connection carries every protocol both peers list in their hello.
/// </summary>
public static class MeshProtocols
{
    /// <summary>Automerge document sync with the reference's sync frames (<c>cap/automerge/1</c>).</summary>
    public const string AutomergeSync = "cap/automerge/1";

    /// <summary>Certificate enrollment (<c>peat/enroll/1</c>).</summary>
    public const string Enrollment = "peat/enroll/1";

    /// <summary>Content-addressed blob transfer (<c>peat/blobs/1</c>).</summary>
    public const string Blobs = "peat/blobs/1";

    /// <summary>Longest protocol name accepted in a hello, in bytes.</summary>
    public const int MaxNameLength = 64;
}
