using System.Text.Json.Nodes;

namespace PeatMesh.Sync;

/// <summary>The outcome of a write and, on success, the document as JSON (with <c>_id</c>).</summary>
/// <remarks>Immutable; thread-safe.</remarks>
/// <param name="Status">What happened.</param>
/// <param name="Document">The document after the write, or <see langword="null"/> when it failed.</param>
public sealed record DocumentWriteResult(DocumentWriteStatus Status, JsonObject? Document);
