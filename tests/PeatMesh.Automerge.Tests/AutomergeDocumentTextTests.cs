using PeatMesh.Automerge.Model;
using PeatMesh.Automerge.Tests.Support;

namespace PeatMesh.Automerge.Tests;

public class AutomergeDocumentTextTests
{
    private static (AutomergeDocument Doc, ObjId Text) NewText(ActorId actor, string initial)
    {
        var doc = Docs.New(actor);
        ObjId text = default;
        doc.Change(tx =>
        {
            text = tx.PutObject(ObjId.Root, "text", ObjType.Text);
            tx.SpliceText(text, 0, 0, initial);
        });
        return (doc, text);
    }

    [Fact]
    public void SpliceText_InsertAndDelete_EditsText()
    {
        var (doc, text) = NewText(Actors.A, "hello world");

        doc.Change(tx => tx.SpliceText(text, 5, 6, ", there"));

        Assert.Equal("hello, there", doc.Text(text));
        Assert.Equal(12, doc.Length(text));
    }

    [Fact]
    public void SpliceText_OneElementPerCodePoint_LengthInUtf16Units()
    {
        var doc = Docs.New(Actors.A);
        ObjId text = default;
        var change = doc.Change(tx =>
        {
            text = tx.PutObject(ObjId.Root, "t", ObjType.Text);
            tx.SpliceText(text, 0, 0, "a😀b");
        })!;

        // makeText + one insert op per code point: the emoji is one op but two UTF-16 units (spec §1).
        Assert.Equal(4, change.Ops.Count);
        Assert.Equal(4, doc.Length(text));
        Assert.Equal("a😀b", doc.Text(text));
        Assert.Equal(3, doc.Values(text).Count);
        Assert.Equal("😀", doc.Get(text, 1)!.Value.Scalar.AsString);
    }

    [Fact]
    public void SpliceText_InsertsChainEachOnThePrevious_ThenDeletes()
    {
        var (doc, text) = NewText(Actors.A, "abc");

        var change = doc.Change(tx => tx.SpliceText(text, 1, 1, "XY"))!;

        Assert.Equal("aXYc", doc.Text(text));
        // Automerge 3.x splice order (transaction/inner.rs inner_splice; checked with @automerge/automerge 3.5.0):
        // the inserts first, then the deletes after the inserted text.
        Assert.Equal([OpAction.Set, OpAction.Set, OpAction.Delete], change.Ops.Select(o => o.Action));
        // "a" is op 2@A; the first insert (5@A) references it, the second references the first.
        Assert.Equal(Key.Seq(ElemId.FromOpId(new OpId(2, Actors.A))), change.Ops[0].Key);
        Assert.Equal(Key.Seq(ElemId.FromOpId(new OpId(5, Actors.A))), change.Ops[1].Key);
        // The delete targets "b" (3@A), which now follows the inserted text.
        Assert.Equal(Key.Seq(ElemId.FromOpId(new OpId(3, Actors.A))), change.Ops[2].Key);
        Assert.Equal([new OpId(3, Actors.A)], change.Ops[2].Pred);
    }

    [Fact]
    public void SpliceText_SplittingSurrogatePair_Throws()
    {
        var (doc, text) = NewText(Actors.A, "a😀b");
        using var tx = doc.BeginTransaction();

        Assert.Throws<ArgumentException>(() => tx.SpliceText(text, 2, 0, "x"));
        Assert.Throws<ArgumentException>(() => tx.SpliceText(text, 1, 1, ""));
        Assert.Throws<ArgumentException>(() => tx.SpliceText(text, 0, 0, "\uD800"));
        Assert.Throws<ArgumentOutOfRangeException>(() => tx.SpliceText(text, 5, 0, "x"));
        Assert.Throws<ArgumentOutOfRangeException>(() => tx.SpliceText(text, 3, 2, ""));
    }

    [Fact]
    public void ConcurrentTyping_AtSamePlace_DoesNotInterleave()
    {
        var (a, text) = NewText(Actors.A, "[]");
        var b = a.Fork(Actors.B);

        a.Change(tx => tx.SpliceText(text, 1, 0, "alice"));
        b.Change(tx => tx.SpliceText(text, 1, 0, "bob"));
        Docs.MergeBoth(a, b);

        // Same reference "[" and same first counter; 4@bb > 4@aa, so B's run comes first.
        Assert.Equal("[bobalice]", a.Text(text));
        Assert.Equal(a.Text(text), b.Text(text));
    }

    [Fact]
    public void RandomSplices_MatchStringReference_AndSurviveReload()
    {
        var rng = new Random(42);
        var (doc, text) = NewText(Actors.A, "");
        var expected = new System.Text.StringBuilder();
        const string alphabet = "abcdefghij é😀";
        for (var i = 0; i < 3000; i++)
        {
            var pos = rng.Next(expected.Length + 1);
            while (pos > 0 && pos < expected.Length && char.IsLowSurrogate(expected[pos]))
            {
                pos--;
            }

            var del = 0;
            if (rng.Next(3) == 0 && pos < expected.Length)
            {
                del = char.IsHighSurrogate(expected[pos]) ? 2 : 1;
            }

            var insert = rng.Next(4) == 0 ? string.Empty : alphabet[rng.Next(alphabet.Length)] switch
            {
                '\uD83D' or '\uDE00' => "😀",
                var c => c.ToString(),
            };
            doc.Change(tx => tx.SpliceText(text, pos, del, insert));
            expected.Remove(pos, del).Insert(pos, insert);
        }

        Assert.Equal(expected.ToString(), doc.Text(text));
        Assert.Equal(expected.Length, doc.Length(text));
        Assert.Equal(expected.ToString(), AutomergeDocument.Load(doc.Save()).Text(text));
    }

    [Fact]
    public void InsertIntoText_ThroughListApi_Throws()
    {
        var (doc, text) = NewText(Actors.A, "x");
        using var tx = doc.BeginTransaction();

        Assert.Throws<ArgumentException>(() => tx.Insert(text, 0, ScalarValue.Str("y")));
    }
}
