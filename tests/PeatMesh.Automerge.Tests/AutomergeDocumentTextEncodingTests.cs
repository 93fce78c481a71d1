using PeatMesh.Automerge.Model;
using PeatMesh.Automerge.Tests.Binary;
using PeatMesh.Automerge.Tests.Support;

namespace PeatMesh.Automerge.Tests;

/// <summary>Text positions in UTF-16 code units (the default, as Automerge JS) and in Unicode code points.</summary>
public class AutomergeDocumentTextEncodingTests
{
    // The interop exemplar's `notes` text: 🇬🇧 (2 regional indicators), 👨‍👨‍👧‍👦 (4 emoji joined by 3 ZWJ), 😀 —
    // 10 code points, 17 UTF-16 code units, one element per code point.
    private const string Notes = "🇬🇧👨‍👨‍👧‍👦😀";

    private static (AutomergeDocument Doc, ObjId Notes) Exemplar()
    {
        var doc = AutomergeDocument.Load(AutomergeFixtures.Read("interop", "exemplar"));
        return (doc, doc.Get(ObjId.Root, "notes")!.Value.ObjectId);
    }

    private static string[] CodePoints(string s)
    {
        var result = new List<string>();
        foreach (var rune in s.EnumerateRunes())
        {
            result.Add(rune.ToString());
        }

        return [.. result];
    }

    [Fact]
    public void Length_ExemplarNotes_Utf16ByDefaultCodePointsWhenAsked()
    {
        var (doc, notes) = Exemplar();

        Assert.Equal(TextEncoding.Utf16CodeUnit, doc.TextEncoding);
        Assert.Equal(Notes, doc.Text(notes));
        Assert.Equal(Notes.Length, doc.Length(notes));
        Assert.Equal(17, doc.Length(notes));

        doc.TextEncoding = TextEncoding.UnicodeCodePoint;
        Assert.Equal(10, doc.Length(notes));
        Assert.Equal(Notes, doc.Text(notes));
    }

    [Fact]
    public void Get_ExemplarNotes_CodePointIndexesEachCharacter()
    {
        var (doc, notes) = Exemplar();
        doc.TextEncoding = TextEncoding.UnicodeCodePoint;

        var expected = CodePoints(Notes);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], doc.Get(notes, i)!.Value.Scalar.AsString);
            Assert.Equal(expected[i], Assert.Single(doc.GetAll(notes, i)).Scalar.AsString);
        }

        Assert.Null(doc.Get(notes, expected.Length));
    }

    [Fact]
    public void Get_Utf16OffsetInsideSurrogatePair_ReturnsThatCharacter()
    {
        var (doc, notes) = Exemplar();

        // Offsets 0 and 1 are the high and low surrogate of 🇬 (U+1F1EC), offsets 2, 3 of 🇧.
        Assert.Equal("\U0001F1EC", doc.Get(notes, 0)!.Value.Scalar.AsString);
        Assert.Equal("\U0001F1EC", doc.Get(notes, 1)!.Value.Scalar.AsString);
        Assert.Equal("\U0001F1E7", doc.Get(notes, 3)!.Value.Scalar.AsString);
        Assert.Equal("\u200D", doc.Get(notes, 6)!.Value.Scalar.AsString); // first ZWJ after 👨 (offsets 4, 5)
        Assert.Equal("😀", doc.Get(notes, 16)!.Value.Scalar.AsString);
        Assert.Null(doc.Get(notes, 17));
    }

    [Fact]
    public void SpliceText_CodePointIndexes_EditWholeCharacters()
    {
        var doc = Docs.New(Actors.A);
        doc.TextEncoding = TextEncoding.UnicodeCodePoint;
        ObjId text = default;
        doc.Change(tx =>
        {
            text = tx.PutObject(ObjId.Root, "t", ObjType.Text);
            tx.SpliceText(text, 0, 0, "a😀b😀c");
        });

        // Code points: a 😀 b 😀 c. Replace "b😀" (2 code points, 3 UTF-16 units) at code point 2 with "é".
        doc.Change(tx => tx.SpliceText(text, 2, 2, "é"));

        Assert.Equal("a😀éc", doc.Text(text));
        Assert.Equal(4, doc.Length(text));
        doc.TextEncoding = TextEncoding.Utf16CodeUnit;
        Assert.Equal(5, doc.Length(text));
        Assert.Throws<ArgumentException>(() => doc.Change(tx => tx.SpliceText(text, 2, 0, "x"))); // inside 😀
    }

    [Fact]
    public void SpliceText_CodePointRangePastEnd_Throws()
    {
        var doc = Docs.New(Actors.A);
        doc.TextEncoding = TextEncoding.UnicodeCodePoint;
        ObjId text = default;
        doc.Change(tx =>
        {
            text = tx.PutObject(ObjId.Root, "t", ObjType.Text);
            tx.SpliceText(text, 0, 0, "😀😀");
        });

        using var tx = doc.BeginTransaction();
        Assert.Throws<ArgumentOutOfRangeException>(() => tx.SpliceText(text, 3, 0, "x"));
        Assert.Throws<ArgumentOutOfRangeException>(() => tx.SpliceText(text, 1, 2, string.Empty));
        tx.SpliceText(text, 2, 0, "x"); // the end, in code points
        Assert.Equal("😀😀x", doc.Text(text));
    }

    [Theory]
    [InlineData(TextEncoding.Utf16CodeUnit, 4, 15, 0, 4, 12, 3, 1, 12)]
    [InlineData(TextEncoding.UnicodeCodePoint, 2, 9, 0, 2, 8, 2, 1, 8)]
    public void Changes_EmojiScriptInEitherEncoding_HashesEqualAutomergeJs(
        TextEncoding encoding, int markStart, int markEnd, int flagAt, int flagLength, int tailAt, int tailLength, int spanStart, int spanEnd)
    {
        // @automerge/automerge 3.5.0 (actor bb×16, time 1700000000, UTF-16 indexes): d.notes = Notes;
        // mark(4, 15, "family", true, "both"); splice(15, 0, "✨"); splice(0, 4, "x"); splice(12, 3, "").
        // The same edits expressed in code points must write the same ops, hence the same hashes.
        string[] expectedHashes =
        [
            "045af9b2f352a218d7c4b4233b667a841b78c06eee01361ee31228e7e5d55f5f",
            "acb448aef034ec3eb7f272f27cda6fcf14e40b8adae133a22f8436ceb89e17db",
            "12a6729876a82b3d5f063f50620b726fb34f580fefab2288b6bb0cbb192c05a2",
            "ed9228c90f2734743812aaddbd6cb11ba028054a66130d0be3b95a0361267d75",
            "4273a0400b4cdd4208dbd5e1014e1e071a399003cb35282f7afa5e9a0cd3252e",
        ];
        var doc = Docs.New(Actors.B);
        doc.TextEncoding = encoding;
        ObjId notes = default;
        Action<Transaction>[] steps =
        [
            tx =>
            {
                notes = tx.PutObject(ObjId.Root, "notes", ObjType.Text);
                tx.SpliceText(notes, 0, 0, Notes);
            },
            tx => tx.Mark(notes, markStart, markEnd, "family", ScalarValue.Boolean(true), MarkExpand.Both),
            tx => tx.SpliceText(notes, markEnd, 0, "✨"),
            tx => tx.SpliceText(notes, flagAt, flagLength, "x"),
            tx => tx.SpliceText(notes, tailAt, tailLength, string.Empty),
        ];

        var hashes = steps.Select(step => doc.Change(step)!.Hash.ToString()).ToArray();

        Assert.Equal(expectedHashes, hashes);
        Assert.Equal("x👨‍👨‍👧‍👦", doc.Text(notes));
        // JS reports [1, 12) in UTF-16 units; the same characters are code points [1, 8).
        Assert.Equal([new MarkSpan("family", ScalarValue.Boolean(true), spanStart, spanEnd)], doc.Marks(notes));
    }

    [Fact]
    public void Marks_SameDocument_BothEncodingsCoverTheSameCharacters()
    {
        var (doc, notes) = Exemplar();
        doc.Change(tx => tx.Mark(notes, 4, 15, "family", ScalarValue.Str("yes"))); // UTF-16 [4, 15) = 👨‍👨‍👧‍👦

        var utf16 = Assert.Single(doc.Marks(notes));
        doc.TextEncoding = TextEncoding.UnicodeCodePoint;
        var codePoints = Assert.Single(doc.Marks(notes));

        Assert.Equal(Notes.Substring(utf16.Start, utf16.End - utf16.Start), string.Concat(CodePoints(Notes)[codePoints.Start..codePoints.End]));
        Assert.Equal((4, 15), (utf16.Start, utf16.End));
        Assert.Equal((2, 9), (codePoints.Start, codePoints.End));
    }

    [Fact]
    public void TextEncoding_ForkKeepsIt_UndefinedValueRejected()
    {
        var doc = Docs.New(Actors.A);
        doc.TextEncoding = TextEncoding.UnicodeCodePoint;

        Assert.Equal(TextEncoding.UnicodeCodePoint, doc.Fork(Actors.B).TextEncoding);
        Assert.Throws<ArgumentOutOfRangeException>(() => doc.TextEncoding = (TextEncoding)7);
        Assert.Equal(TextEncoding.UnicodeCodePoint, doc.TextEncoding);
    }

    [Fact]
    public void Length_ListsIgnoreTextEncoding()
    {
        var doc = Docs.New(Actors.A);
        ObjId list = default;
        doc.Change(tx =>
        {
            list = tx.PutObject(ObjId.Root, "l", ObjType.List);
            tx.Insert(list, 0, ScalarValue.Str("😀😀"));
            tx.Insert(list, 1, ScalarValue.Str("x"));
        });

        doc.TextEncoding = TextEncoding.UnicodeCodePoint;

        Assert.Equal(2, doc.Length(list));
        Assert.Equal("x", doc.Get(list, 1)!.Value.Scalar.AsString);
        Assert.Equal("😀😀", doc.Get(list, 0)!.Value.Scalar.AsString);
    }
}
