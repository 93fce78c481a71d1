namespace PeatMesh.Automerge.Binary;

/// <summary>
/// A document column that was stored DEFLATE-compressed: its inflated data and its data as stored, so that a later
/// save of an unchanged column can reuse the compressed bytes (<see cref="DeflateColumnCache"/>).
/// </summary>
/// <remarks>
/// A class rather than a value tuple: lists of it use the framework's shared (precompiled) generic code, where a list
/// of a tuple of memories is JIT-compiled on the first load of a process. Immutable; thread-safe.
/// </remarks>
/// <param name="Inflated">The column's data after inflating.</param>
/// <param name="Compressed">The column's data as stored (raw DEFLATE).</param>
internal sealed record DeflatedColumn(ReadOnlyMemory<byte> Inflated, ReadOnlyMemory<byte> Compressed);
