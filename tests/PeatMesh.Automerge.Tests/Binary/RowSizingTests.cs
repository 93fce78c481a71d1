using PeatMesh.Automerge.Binary;
using PeatMesh.Automerge.Model;
using PeatMesh.Automerge.Tests.Support;

namespace PeatMesh.Automerge.Tests.Binary;

/// <summary>
/// Row counts come from run-length encoded columns, so a few bytes can claim millions of rows. A document chunk
/// allocates for at most <see cref="DocumentChunk.SizingRowsPerByte"/> rows per inflated byte before rows decode:
/// a malformed claim fails without the allocation, and a real document past the hint still loads (the arrays grow).
/// A bundle change's deps count is such a claim too.
/// </summary>
public class RowSizingTests
{
    private const long ClaimedRows = 4_000_000; // within ColumnLimits.MaxRows, the floor of a small document's row bound
    private const long AllocationBudget = 32L << 20; // what the claimed rows would need: 4M op rows alone are 256 MB

    [Fact]
    public void Decode_ActionColumnClaimsMillionsOfRows_FailsWithoutAllocatingForThem()
    {
        var bytes = TamperedDocuments.Write(SmallDocument().GetAllChanges(), tamperColumns: columns =>
            Replace(columns, OpColumnSpecs.Action, ClaimedRows));

        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<AutomergeFormatException>(() => DocumentChunk.Decode(bytes, out _));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains("hold more rows than the op id columns", error.Message, StringComparison.Ordinal);
        Assert.True(allocated < AllocationBudget, $"decoding allocated {allocated:N0} bytes for a {bytes.Length}-byte document");
    }

    [Fact]
    public void Decode_ChangeActorColumnClaimsMillionsOfRows_FailsWithoutAllocatingForThem()
    {
        var bytes = TamperedDocuments.Write(SmallDocument().GetAllChanges(), tamperChangeColumns: columns =>
            Replace(columns, DocumentColumnSpecs.Actor, ClaimedRows));

        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<AutomergeFormatException>(() => DocumentChunk.Decode(bytes, out _));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allocated < AllocationBudget, $"decoding allocated {allocated:N0} bytes for a {bytes.Length}-byte document");
    }

    [Fact]
    public void Load_RealDocumentPastTheSizeHint_LoadsAsReplayingItsChanges()
    {
        // 20,000 changes of one null insert each, all at time 0: every column is a run or a run of deltas, so the whole
        // history inflates to a few hundred bytes, far fewer than one per row. The op rows also pass the threshold at
        // which the op set is built beside the decoding, so that path meets rows that outgrow their estimate.
        var doc = Docs.New(Actors.A);
        var list = default(ObjId);
        doc.Change(tx => list = tx.PutObject(ObjId.Root, "list", ObjType.List));
        for (var i = 0; i < 20_000; i++)
        {
            var index = i;
            doc.Change(tx => tx.Insert(list, index, ScalarValue.Null));
        }

        var bytes = doc.SaveNoCompress();
        var contents = DocumentChunk.Decode(bytes, out _);
        // Past the hint: the columns inflate to less than the whole (uncompressed) document.
        Assert.True(contents.Ops!.Count > (bytes.Length * DocumentChunk.SizingRowsPerByte) + 1024,
            $"{contents.Ops.Count} rows in {bytes.Length} bytes do not pass the size hint");
        Assert.True(contents.Ops.Count >= DocumentChunk.ParallelVerificationOps);

        var loaded = AutomergeDocument.Load(bytes);

        Assert.Equal(StoreSnapshot.Describe(Docs.Replay(bytes)), StoreSnapshot.Describe(loaded));
        var loadedList = Assert.IsType<AutomergeValue>(loaded.Get(ObjId.Root, "list"));
        Assert.Equal(20_000, loaded.Length(loadedList.ObjectId));
        Assert.Equal(doc.Heads, loaded.Heads);
    }

    [Fact]
    public void BundleChangeColumns_DepsCountClaimsMillions_FailsWithoutAllocatingForThem()
    {
        // One bundle change whose deps group claims 4M deps while the deps column holds none.
        var actor = new RleEncoder<ulong, UInt64Codec>();
        actor.Append(0);
        var one = new DeltaEncoder();
        one.Append(1);
        var depsCount = new RleEncoder<ulong, UInt64Codec>();
        depsCount.Append(ClaimedRows);
        (ColumnSpec Spec, byte[] Data)[] parts =
        [
            (BundleColumnSpecs.ChangeActor, actor.Finish().ToArray()),
            (BundleColumnSpecs.ChangeSeq, one.Finish().ToArray()),
            (BundleColumnSpecs.ChangeStartOp, one.Finish().ToArray()),
            (BundleColumnSpecs.ChangeMaxOp, one.Finish().ToArray()),
            (BundleColumnSpecs.ChangeTime, one.Finish().ToArray()),
            (BundleColumnSpecs.ChangeDepsGroup, depsCount.Finish().ToArray()),
        ];
        var block = parts.SelectMany(p => p.Data).ToArray();
        var raw = new RawColumn[parts.Length];
        for (int i = 0, offset = 0; i < parts.Length; offset += parts[i].Data.Length, i++)
        {
            raw[i] = new RawColumn(parts[i].Spec, offset, parts[i].Data.Length);
        }

        long budget = long.MaxValue;
        var columns = DocumentColumns.Create(raw, block, ref budget);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<AutomergeFormatException>(() => BundleChangeColumns.Decode(columns, actorCount: 1, externalDeps: 0, maxRows: ColumnLimits.MaxRows));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains("deps", error.Message, StringComparison.Ordinal); // failed at the missing deps, past the claim
        Assert.True(allocated < AllocationBudget / 8, $"decoding allocated {allocated:N0} bytes for {block.Length} bytes of columns");
    }

    private static AutomergeDocument SmallDocument()
    {
        var doc = Docs.New(Actors.A);
        doc.Change(tx =>
        {
            var text = tx.PutObject(ObjId.Root, "text", ObjType.Text);
            tx.SpliceText(text, 0, 0, "hello");
        });
        return doc;
    }

    private static void Replace(List<(ColumnSpec Spec, ReadOnlyMemory<byte> Data)> columns, ColumnSpec spec, long rows)
    {
        var index = columns.FindIndex(c => c.Spec.Normalized == spec.Normalized);
        var encoder = new RleEncoder<ulong, UInt64Codec>();
        encoder.AppendRun(spec.Normalized == OpColumnSpecs.Action.Normalized ? (ulong)OpAction.Set : 0, rows);
        columns[index] = (columns[index].Spec, encoder.Finish().ToArray());
    }
}
