using PeatMesh.Storage;

namespace PeatMesh.Sync;

/// <summary>A document change or delete, as published to <see cref="DocumentService.DocumentChanged"/> subscribers.</summary>
/// <remarks>Immutable; thread-safe.</remarks>
/// <param name="Key">The document.</param>
/// <param name="Kind">Changed or deleted.</param>
/// <param name="Origin">Node id of the peer the change came from, or <see langword="null"/> for a local write.</param>
/// <param name="Tombstone">For <see cref="DocumentEventKind.Deleted"/>: the tombstone.</param>
public sealed record DocumentEvent(DocumentKey Key, DocumentEventKind Kind, string? Origin, Tombstone? Tombstone = null);
