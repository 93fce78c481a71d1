using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.Sync;

/// <summary>
/// One <c>have</c> entry of a sync message (Automerge sync protocol §4.1): the heads the sender last
/// synced to (<paramref name="LastSync"/>, sorted on encode) and a Bloom filter of the sender's changes
/// that are not ancestors-or-equal of those heads.
/// </summary>
/// <remarks>Immutable if the list is not mutated; thread-safe for reading.</remarks>
/// <param name="LastSync">The shared heads the filter is relative to.</param>
/// <param name="Bloom">The filter.</param>
public sealed record SyncHave(IReadOnlyList<ChangeHash> LastSync, BloomFilter Bloom);
