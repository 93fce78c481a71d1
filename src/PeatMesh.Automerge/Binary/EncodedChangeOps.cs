using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.Binary;

/// <summary>
/// Builds a change's ops from its own encoded change chunk (the canonical bytes the heads check wrote), for changes of
/// a loaded document that do not keep the document's rows (<see cref="DocumentOps.AllChangesEncoded"/>).
/// </summary>
/// <remarks>Immutable; thread-safe.</remarks>
/// <param name="chunk">The complete change chunk.</param>
internal sealed class EncodedChangeOps(byte[] chunk) : IChangeOpSource
{
    /// <inheritdoc />
    /// <exception cref="AutomergeFormatException">The chunk does not decode (it was written by this library, so never).</exception>
    public Op[] MaterializeOps(int index) => [.. ChangeChunk.Decode(chunk, out _).Ops];
}
