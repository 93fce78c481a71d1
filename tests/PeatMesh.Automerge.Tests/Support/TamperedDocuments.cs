using PeatMesh.Automerge.Binary;
using PeatMesh.Automerge.Model;

namespace PeatMesh.Automerge.Tests.Support;

/// <summary>Writes document chunks the way <c>Save</c> does, with a hook to damage them on the way (reader and loader tests).</summary>
internal static class TamperedDocuments
{
    /// <summary>
    /// A document chunk of <paramref name="changes"/>, uncompressed, after <paramref name="tamperOrder"/> changed its op
    /// rows, <paramref name="tamperColumns"/> its encoded op columns and <paramref name="tamperChangeColumns"/> its
    /// encoded change columns (any may be null).
    /// </summary>
    public static byte[] Write(IReadOnlyList<Change> changes, Action<DocumentOpOrder>? tamperOrder = null,
        Action<List<(ColumnSpec Spec, ReadOnlyMemory<byte> Data)>>? tamperColumns = null,
        Action<List<(ColumnSpec Spec, ReadOnlyMemory<byte> Data)>>? tamperChangeColumns = null)
    {
        var actors = changes.Select(c => c.Actor).Distinct().Order().ToArray();
        var actorIndex = actors.Select((actor, i) => (actor, i)).ToDictionary(x => x.actor, x => x.i);
        var position = changes.Select((change, i) => (change.Hash, i)).ToDictionary(x => x.Hash, x => x.i);
        var depsOf = changes.Select(c => c.Deps.Select(d => position[d]).ToArray()).ToArray();
        var order = DocumentOpOrder.Build(changes, actorIndex);
        tamperOrder?.Invoke(order);
        var changeColumns = DocumentChangeColumnWriter.Encode(changes, actorIndex, i => depsOf[i]);
        tamperChangeColumns?.Invoke(changeColumns);
        var opColumns = DocumentOpColumnWriter.Encode(order);
        tamperColumns?.Invoke(opColumns);
        var dependedOn = changes.SelectMany(c => c.Deps).ToHashSet();
        var heads = changes.Select(c => c.Hash).Where(h => !dependedOn.Contains(h)).Order().ToList();

        var body = new ByteWriter();
        body.WriteUInt64((ulong)actors.Length);
        foreach (var actor in actors)
        {
            body.WriteLengthPrefixed(actor.Span);
        }

        body.WriteChangeHashes(heads);
        ColumnMetadata.Write(body, changeColumns.ConvertAll(c => (c.Spec, c.Data.Length)));
        ColumnMetadata.Write(body, opColumns.ConvertAll(c => (c.Spec, c.Data.Length)));
        foreach (var (_, data) in changeColumns.Concat(opColumns))
        {
            body.Write(data.Span);
        }

        return ChunkContainer.Write(ChunkType.Document, body.WrittenSpan, out _);
    }
}
