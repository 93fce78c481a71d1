using PeatMesh.Automerge.Binary;
using PeatMesh.Automerge.Model;
using PeatMesh.Automerge.Tests.Binary;
using PeatMesh.Automerge.Tests.Support;

namespace PeatMesh.Automerge.Tests;

/// <summary>
/// Rich-text marks: reading them as Automerge JS <c>marks()</c> does, writing them with the ops Automerge writes,
/// and inserting next to them as Automerge does (spec automerge.md §1, §2.7).
/// </summary>
public class AutomergeDocumentMarkTests
{
    private static OpId A(ulong counter) => new(counter, Actors.A);

    private static Key After(ulong counter) => Key.Seq(ElemId.FromOpId(A(counter)));

    /// <summary>A text "abc" made like <c>A.from({text: "abc"})</c>: makeText 1@A, then a = 2@A, b = 3@A, c = 4@A.</summary>
    private static (AutomergeDocument Doc, ObjId Text) NewText(string initial = "abc")
    {
        var doc = Docs.New(Actors.A);
        ObjId text = default;
        doc.Change(tx =>
        {
            text = tx.PutObject(ObjId.Root, "text", ObjType.Text);
            tx.SpliceText(text, 0, 0, initial);
        });
        return (doc, text);
    }

    [Fact]
    public void Marks_DemoDocument_BoldAsJsReportsIt()
    {
        var doc = AutomergeDocument.Load(AutomergeFixtures.Read("generated-3.5.0", "demo-doc.automerge"));
        var text = doc.Get(ObjId.Root, "text")!.Value.ObjectId;

        // 3.5.0 marks(doc, ["text"]) = [{name: "bold", value: true, start: 0, end: 5}] (demo-change.bin: a bold
        // mark with expand "both" from _head to 20@aa, the "o" of "hello").
        Assert.Equal([new MarkSpan("bold", ScalarValue.Boolean(true), 0, 5)], doc.Marks(text));
        Assert.Equal("hello brave world", doc.Text(text));
        Assert.Equal(17, doc.Length(text));
    }

    [Fact]
    public void Mark_DemoChangeInputs_ReproducesDemoChangeByteForByte()
    {
        // demo-change.bin is bb's second change: deps = [bb seq 1], which itself depends on aa seq 1.
        var demo = AutomergeDocument.Load(AutomergeFixtures.Read("generated-3.5.0", "demo-doc.automerge"));
        var expected = AutomergeFixtures.Read("generated-3.5.0", "demo-change.bin");
        var expectedChange = ChangeChunk.Decode(expected, out _);
        var bbFirst = demo.GetChangeByHash(Assert.Single(expectedChange.Deps))!;
        var aaFirst = demo.GetChangeByHash(Assert.Single(bbFirst.Deps))!;

        var doc = Docs.New(expectedChange.Actor);
        doc.ApplyChanges([aaFirst, bbFirst]);
        var text = doc.Get(ObjId.Root, "text")!.Value.ObjectId;
        using var tx = doc.BeginTransaction();
        tx.Mark(text, 0, 5, "bold", ScalarValue.Boolean(true), MarkExpand.Both);
        var change = tx.Commit(time: expectedChange.Time)!;

        Assert.Equal(expected, change.RawBytes.ToArray());
        Assert.Equal([new MarkSpan("bold", ScalarValue.Boolean(true), 0, 5)], doc.Marks(text));
    }

    [Theory]
    [InlineData(MarkExpand.Before, true, false)]
    [InlineData(MarkExpand.After, false, true)]
    [InlineData(MarkExpand.Both, true, true)]
    [InlineData(MarkExpand.None, false, false)]
    public void Mark_Range_WritesBeginAndEndOpsLikeJs(MarkExpand expand, bool beginFlag, bool endFlag)
    {
        var (doc, text) = NewText();

        var change = doc.Change(tx => tx.Mark(text, 1, 2, "bold", ScalarValue.Boolean(true), expand))!;

        // Begin: insert after "a" (2@A), name and value, expand = "before"; end: insert after "b" (3@A), no name,
        // null value, expand = "after", id = begin + 1 (checked with @automerge/automerge 3.5.0).
        Assert.Equal(
            [
                new Op(text, After(2), true, OpAction.Mark, ScalarValue.Boolean(true), null, beginFlag, "bold"),
                new Op(text, After(3), true, OpAction.Mark, ScalarValue.Null, null, endFlag),
            ],
            change.Ops);
        Assert.Equal([new MarkSpan("bold", ScalarValue.Boolean(true), 1, 2)], doc.Marks(text));
        Assert.Equal("abc", doc.Text(text));
        Assert.Equal(3, doc.Length(text));
    }

    // Expected reference elements and spans observed with @automerge/automerge 3.5.0 (mark [1,2) on "abc" =
    // begin 5@A, end 6@A; then splice "X" at the mark's start (1) or end (2)); they follow Peritext: text typed at
    // an edge joins the mark exactly when the mark expands on that side.
    [Theory]
    [InlineData(MarkExpand.Before, 1, 5ul, 1, 3)]
    [InlineData(MarkExpand.Before, 2, 6ul, 1, 2)]
    [InlineData(MarkExpand.After, 1, 2ul, 2, 3)]
    [InlineData(MarkExpand.After, 2, 3ul, 1, 3)]
    [InlineData(MarkExpand.Both, 1, 5ul, 1, 3)]
    [InlineData(MarkExpand.Both, 2, 3ul, 1, 3)]
    [InlineData(MarkExpand.None, 1, 2ul, 2, 3)]
    [InlineData(MarkExpand.None, 2, 6ul, 1, 2)]
    public void SpliceText_AtMarkBoundary_ReferenceAndSpanFollowExpand(MarkExpand expand, int at, ulong reference, int start, int end)
    {
        var (doc, text) = NewText();
        doc.Change(tx => tx.Mark(text, 1, 2, "bold", ScalarValue.Boolean(true), expand));

        var change = doc.Change(tx => tx.SpliceText(text, at, 0, "X"))!;

        var insert = Assert.Single(change.Ops);
        Assert.Equal(After(reference), insert.Key);
        Assert.Equal(at == 1 ? "aXbc" : "abXc", doc.Text(text));
        Assert.Equal([new MarkSpan("bold", ScalarValue.Boolean(true), start, end)], doc.Marks(text));
    }

    [Theory]
    [InlineData(MarkExpand.Before)]
    [InlineData(MarkExpand.After)]
    [InlineData(MarkExpand.Both)]
    public void SpliceText_InsideZeroWidthMark_StaysOutsideIt(MarkExpand expand)
    {
        var (doc, text) = NewText();
        var mark = doc.Change(tx => tx.Mark(text, 1, 1, "comment", ScalarValue.Str("c1"), expand))!;

        // The end goes right after the begin (5@A), whatever the expand flags.
        Assert.Equal(After(2), mark.Ops[0].Key);
        Assert.Equal(After(5), mark.Ops[1].Key);
        var change = doc.Change(tx => tx.SpliceText(text, 1, 0, "X"))!;

        // A begin/end pair in the gap voids the positions between and after them: the insert references "a".
        Assert.Equal(After(2), Assert.Single(change.Ops).Key);
        Assert.Equal("aXbc", doc.Text(text));
        Assert.Empty(doc.Marks(text));
    }

    [Fact]
    public void Mark_ZeroWidthExpandNone_WritesNothing()
    {
        var (doc, text) = NewText();

        var change = doc.Change(tx => tx.Mark(text, 1, 1, "comment", ScalarValue.Str("c1"), MarkExpand.None));

        Assert.Null(change);
    }

    [Fact]
    public void Insert_TypingAtEndOfExpandingMark_ExtendsIt()
    {
        var (doc, text) = NewText("bold");
        doc.Change(tx => tx.Mark(text, 0, 4, "bold", ScalarValue.Boolean(true)));

        doc.Change(tx => tx.SpliceText(text, 4, 0, "er"));
        doc.Change(tx => tx.SpliceText(text, 0, 0, "un"));

        Assert.Equal("unbolder", doc.Text(text));
        Assert.Equal([new MarkSpan("bold", ScalarValue.Boolean(true), 2, 8)], doc.Marks(text));
    }

    [Fact]
    public void Marks_OverlappingSameName_LaterOpIdWins()
    {
        var (doc, text) = NewText("abcdef");
        doc.Change(tx => tx.Mark(text, 0, 4, "color", ScalarValue.Str("red")));
        doc.Change(tx => tx.Mark(text, 2, 6, "color", ScalarValue.Str("blue")));
        doc.Change(tx => tx.Mark(text, 1, 3, "color", ScalarValue.Str("red")));

        // As 3.5.0 reports it: equal touching values merge, the newest mark decides each position.
        Assert.Equal(
            [new MarkSpan("color", ScalarValue.Str("red"), 0, 3), new MarkSpan("color", ScalarValue.Str("blue"), 3, 6)],
            doc.Marks(text));
    }

    [Fact]
    public void Marks_DifferentNames_SortedByNameThenStart()
    {
        var (doc, text) = NewText("abcdef");
        doc.Change(tx =>
        {
            tx.Mark(text, 4, 6, "italic", ScalarValue.Boolean(true));
            tx.Mark(text, 0, 3, "bold", ScalarValue.Boolean(true));
            tx.Mark(text, 0, 2, "italic", ScalarValue.Boolean(true));
            tx.Mark(text, 1, 5, "href", ScalarValue.Str("https://automerge.org/"));
        });

        Assert.Equal(
            [
                new MarkSpan("bold", ScalarValue.Boolean(true), 0, 3),
                new MarkSpan("href", ScalarValue.Str("https://automerge.org/"), 1, 5),
                new MarkSpan("italic", ScalarValue.Boolean(true), 0, 2),
                new MarkSpan("italic", ScalarValue.Boolean(true), 4, 6),
            ],
            doc.Marks(text));
    }

    [Fact]
    public void Unmark_MiddleOfMark_SplitsItAndIsNotReported()
    {
        var (doc, text) = NewText("hello");
        doc.Change(tx => tx.Mark(text, 0, 5, "bold", ScalarValue.Boolean(true)));

        var change = doc.Change(tx => tx.Unmark(text, 1, 3, "bold"))!;

        Assert.Equal(ScalarValue.Null, change.Ops[0].Value);
        Assert.Equal("bold", change.Ops[0].MarkName);
        Assert.Equal(
            [new MarkSpan("bold", ScalarValue.Boolean(true), 0, 1), new MarkSpan("bold", ScalarValue.Boolean(true), 3, 5)],
            doc.Marks(text));
    }

    [Fact]
    public void Marks_ConcurrentMarksOfOneName_AllReplicasAgree()
    {
        var (a, text) = NewText("abcdef");
        var b = a.Fork(Actors.B);
        a.Change(tx => tx.Mark(text, 0, 4, "color", ScalarValue.Str("red")));
        b.Change(tx => tx.Mark(text, 2, 6, "color", ScalarValue.Str("blue")));
        b.Change(tx => tx.Unmark(text, 0, 1, "color"));

        Docs.MergeBoth(a, b);

        // Observed with 3.5.0 for the same edits: both replicas report red [1,2), blue [2,6). Both marks' begins
        // have counter 8; actor bb > aa, so blue wins where they overlap and bb's unmark wins over red at 0.
        IReadOnlyList<MarkSpan> expected =
            [new MarkSpan("color", ScalarValue.Str("red"), 1, 2), new MarkSpan("color", ScalarValue.Str("blue"), 2, 6)];
        Assert.Equal(expected, a.Marks(text));
        Assert.Equal(expected, b.Marks(text));
    }

    [Fact]
    public void Marks_DeletedCharacters_NotCounted()
    {
        var (doc, text) = NewText("abcdef");
        doc.Change(tx => tx.Mark(text, 1, 5, "bold", ScalarValue.Boolean(true)));

        doc.Change(tx => tx.SpliceText(text, 2, 2, string.Empty));

        Assert.Equal("abef", doc.Text(text));
        Assert.Equal([new MarkSpan("bold", ScalarValue.Boolean(true), 1, 3)], doc.Marks(text));
        doc.Change(tx => tx.SpliceText(text, 1, 2, string.Empty));
        Assert.Empty(doc.Marks(text));
    }

    [Fact]
    public void Changes_ScriptWithMarks_HashesEqualAutomergeJs()
    {
        // The same script run with @automerge/automerge 3.5.0 (actor aa×16, time 1700000000, init + one change per
        // step) gave these change hashes, final text and marks.
        string[] expectedHashes =
        [
            "4d002ffcf684210af03b0cda8ace7ab49a18a0ee62a9f0a5ff4c3ee72af31bcb",
            "f212092d2d9789364f3f947662d2ba6446acd96bcce6e520e0c062296c362195",
            "a0f07bcaf8ecc9d3d5e0b234531df04e1407ba2500c0efc698a6208fcc582fa3",
            "bc22bd3693a7ecf8260f56fa69f5f339c831d2fd2d779b2adb3836ad0f59592c",
            "fdff3721b7216a28b2b882364cf50ca4a99d335b44351ec9da8a3fa001b86d14",
            "b460c652278a8a955480c1b8e09124ae546572a4cb547b6bd307e599dad93756",
            "9c925a5780ee65137d49b637bdecb4f46b745638383105ccf1f756fdcec10246",
            "6b1e83e9d18a426b372c87c6e7e1816a7a276a7313c9d7c3fd28dfb0289f5efc",
            "0cc4f067d48b8e907e292ba50a067cfc39e3036562e3b8a551c014c9695f7baa",
            "ce53e06d635e1703207fff1315c118cc3212d185e008c4e6ed61eb0fb6968204",
            "73a0b524595fbe1c2695912290844e72853e19523d795c3d300298103b2cb7fe",
            "fe6fb547d1b6f61f9bb6eff7f0fb053854f9b3de34ac89fa827de0649ea6c9b2",
            "045d4ba9afedbfe4c320b2c38ddf4785a02dc3ff8d96d421e6af3342bbddef16",
            "5aeb2c9bfd8d770f573bd8ac53d47ba2f12bfd41ff7450bfda7515d8a4db68c7",
        ];
        var doc = Docs.New(Actors.A);
        ObjId text = default;
        Action<Transaction>[] steps =
        [
            tx =>
            {
                text = tx.PutObject(ObjId.Root, "text", ObjType.Text);
                tx.SpliceText(text, 0, 0, "hello world");
            },
            tx => tx.Mark(text, 0, 5, "bold", ScalarValue.Boolean(true), MarkExpand.Both),
            tx => tx.Unmark(text, 2, 3, "bold"),
            tx => tx.SpliceText(text, 5, 0, "!"),
            tx => tx.SpliceText(text, 0, 0, ">"),
            tx => tx.Mark(text, 7, 7, "comment", ScalarValue.Str("c1"), MarkExpand.Both),
            tx => tx.SpliceText(text, 7, 0, "Z"),
            tx => tx.Mark(text, 1, 9, "link", ScalarValue.Str("https://x"), MarkExpand.None),
            tx => tx.SpliceText(text, 9, 0, "Q"),
            tx => tx.SpliceText(text, 1, 0, "P"),
            tx => tx.SpliceText(text, 3, 4, "ab"),
            tx =>
            {
                tx.Mark(text, 0, 2, "n", ScalarValue.Int(3), MarkExpand.Before);
                tx.Mark(text, 1, 4, "f", ScalarValue.F64(1.5));
            },
            tx => tx.SpliceText(text, 0, 0, "S"),
            tx => tx.Mark(text, 0, 3, "bold", ScalarValue.Null),
        ];

        var hashes = steps.Select(step => doc.Change(step)!.Hash.ToString()).ToArray();

        Assert.Equal(expectedHashes, hashes);
        Assert.Equal("S>Phab!Z Qworld", doc.Text(text));
        Assert.Equal(
            [
                new MarkSpan("bold", ScalarValue.Boolean(true), 3, 8),
                new MarkSpan("f", ScalarValue.F64(1.5), 2, 5),
                new MarkSpan("link", ScalarValue.Str("https://x"), 3, 9),
                new MarkSpan("n", ScalarValue.Int(3), 0, 3),
            ],
            doc.Marks(text));
    }

    [Fact]
    public void SaveLoad_TextWithMarks_MarksSurviveAndJsonShowsPlainText()
    {
        var (doc, text) = NewText("hello world");
        doc.Change(tx =>
        {
            tx.Mark(text, 0, 5, "bold", ScalarValue.Boolean(true));
            tx.Mark(text, 6, 11, "link", ScalarValue.Str("https://automerge.org/"), MarkExpand.None);
        });

        var loaded = AutomergeDocument.Load(doc.Save());

        Assert.Equal(doc.Marks(text), loaded.Marks(text));
        Assert.Equal("{\"text\":\"hello world\"}", Docs.Json(loaded));
    }

    [Fact]
    public void Rollback_Mark_RemovesItsOpsAndLeavesInsertsPlain()
    {
        var (doc, text) = NewText();
        using (var tx = doc.BeginTransaction())
        {
            tx.Mark(text, 0, 3, "bold", ScalarValue.Boolean(true), MarkExpand.Both);
            Assert.Single(doc.Marks(text));
            tx.Rollback();
        }

        Assert.Empty(doc.Marks(text));
        var change = doc.Change(tx => tx.SpliceText(text, 3, 0, "d"))!;
        Assert.Equal(After(4), Assert.Single(change.Ops).Key);
        Assert.Equal(A(5), change.OpIdAt(0));
    }

    [Fact]
    public void Mark_InvalidArguments_Throw()
    {
        var (doc, text) = NewText("a😀b");
        ObjId map = default;
        doc.Change(tx => map = tx.PutObject(ObjId.Root, "map", ObjType.Map));
        using var tx = doc.BeginTransaction();

        Assert.Throws<ArgumentOutOfRangeException>(() => tx.Mark(text, -1, 1, "b", ScalarValue.Boolean(true)));
        Assert.Throws<ArgumentOutOfRangeException>(() => tx.Mark(text, 0, 5, "b", ScalarValue.Boolean(true)));
        Assert.Throws<ArgumentOutOfRangeException>(() => tx.Mark(text, 3, 1, "b", ScalarValue.Boolean(true)));
        Assert.Throws<ArgumentException>(() => tx.Mark(text, 2, 4, "b", ScalarValue.Boolean(true))); // splits 😀
        Assert.Throws<ArgumentException>(() => tx.Mark(text, 0, 1, "b", ScalarValue.Boolean(true), (MarkExpand)9));
        Assert.Throws<ArgumentException>(() => tx.Mark(map, 0, 0, "b", ScalarValue.Boolean(true)));
        Assert.Throws<ArgumentNullException>(() => tx.Mark(text, 0, 1, null!, ScalarValue.Boolean(true)));
        Assert.Equal(0, tx.PendingOps);
    }

    [Fact]
    public void Load_MarkEndStoredBeforeItsBegin_Rejected()
    {
        var bytes = AutomergeFixtures.Read("fixtures", "broken_zero_width_mark.automerge");

        // 3.5.0: "invalid mark operation order: mark end OpId(3, 0) occurs before mark begin OpId(2, 0)".
        var e = Assert.Throws<AutomergeFormatException>(() => AutomergeDocument.Load(bytes));
        Assert.Contains("occurs before mark begin", e.Message, StringComparison.Ordinal);
        Assert.Throws<AutomergeFormatException>(() => new AutomergeDocument(Actors.B).LoadIncremental(bytes));
    }

    [Fact]
    public void Insert_ListNextToRemoteMarkOps_UsesMarkRules()
    {
        // Marks cannot be written into lists through the API, but a peer's change may hold them; list inserts use
        // the same reference rules as text (Rust InsertQuery serves both).
        var doc = Docs.New(Actors.A);
        ObjId list = default;
        doc.Change(tx =>
        {
            list = tx.PutObject(ObjId.Root, "list", ObjType.List);
            tx.Insert(list, 0, ScalarValue.Int(1));
            tx.Insert(list, 1, ScalarValue.Int(2));
        });
        var remote = new Change(Actors.B, 1, 4, 0, null, doc.Heads,
        [
            new Op(list, After(2), true, OpAction.Mark, ScalarValue.Boolean(true), null, expand: true, markName: "m"),
            new Op(list, Key.Seq(ElemId.FromOpId(new OpId(3, Actors.A))), true, OpAction.Mark, ScalarValue.Null, null, expand: true),
        ]);
        doc.ApplyChanges([remote]);

        var change = doc.Change(tx => tx.Insert(list, 1, ScalarValue.Int(9)))!;

        // The begin expands before, so the new element goes after it (4@B), inside the mark.
        Assert.Equal(Key.Seq(ElemId.FromOpId(new OpId(4, Actors.B))), Assert.Single(change.Ops).Key);
        Assert.Equal([new MarkSpan("m", ScalarValue.Boolean(true), 1, 3)], doc.Marks(list));
    }
}
