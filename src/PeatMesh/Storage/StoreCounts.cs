namespace PeatMesh.Storage;

/// <summary>How many documents and tombstones a store holds (<see cref="IDocumentStore.CountAsync"/>).</summary>
/// <remarks>Immutable value; thread-safe. Both numbers come from one consistent read.</remarks>
/// <param name="Documents">Number of stored documents.</param>
/// <param name="Tombstones">Number of stored tombstones.</param>
public readonly record struct StoreCounts(long Documents, long Tombstones);
