using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using PeatMesh.Automerge.Model;
using PeatMesh.Automerge.OpSet;
using PeatMesh.Automerge.Tests.Support;

namespace PeatMesh.Automerge.Tests;

/// <summary>
/// Concurrent rich-text editing (inserts, deletes, marks, unmarks with every expand value, in UTF-16 and code point
/// indexes) on three replicas: every replica ends with the same text and marks, in any delivery order, and the marks
/// equal an independent per-character recomputation from the op set.
/// </summary>
public class MarkConvergenceTests
{
    private static readonly Arbitrary<int> Seeds = Arb.From(Gen.Choose(0, int.MaxValue));
    private static readonly string[] Alphabet = ["a", "b", "c", "é", "😀", " "];
    private static readonly string[] Names = ["bold", "italic", "link"];
    private static readonly MarkExpand[] Expands = [MarkExpand.Before, MarkExpand.After, MarkExpand.Both, MarkExpand.None];

    private static AutomergeDocument Base()
    {
        var doc = Docs.New(Actors.Numbered(0));
        doc.Change(tx => tx.SpliceText(tx.PutObject(ObjId.Root, "text", ObjType.Text), 0, 0, "hello 😀 world"));
        return doc;
    }

    private static ObjId TextOf(AutomergeDocument doc) => doc.Get(ObjId.Root, "text")!.Value.ObjectId;

    /// <summary>The UTF-16 offset of code point <paramref name="index"/> in <paramref name="text"/>, or the index itself in code point mode.</summary>
    private static int Position(AutomergeDocument doc, string text, int index)
    {
        if (doc.TextEncoding == TextEncoding.UnicodeCodePoint)
        {
            return index;
        }

        var offset = 0;
        for (var i = 0; i < index; i++)
        {
            offset += char.IsHighSurrogate(text[offset]) ? 2 : 1;
        }

        return offset;
    }

    private static void Edit(AutomergeDocument doc, Random rng, int changes)
    {
        var text = TextOf(doc);
        for (var c = 0; c < changes; c++)
        {
            using var tx = doc.BeginTransaction();
            for (var n = rng.Next(1, 4); n > 0; n--)
            {
                var content = doc.Text(text);
                var count = content.EnumerateRunes().Count();
                var start = rng.Next(count + 1);
                var end = start + rng.Next(Math.Min(4, count - start) + 1);
                var from = Position(doc, content, start);
                var to = Position(doc, content, end);
                switch (rng.Next(6))
                {
                    case 0:
                    case 1:
                        var insert = string.Concat(Enumerable.Range(0, rng.Next(1, 4)).Select(_ => Alphabet[rng.Next(Alphabet.Length)]));
                        tx.SpliceText(text, from, 0, insert);
                        break;
                    case 2:
                        tx.SpliceText(text, from, to - from, rng.Next(3) == 0 ? "x" : string.Empty);
                        break;
                    case 3:
                    case 4:
                        var value = rng.Next(3) switch
                        {
                            0 => ScalarValue.Boolean(true),
                            1 => ScalarValue.Str(rng.Next(2) == 0 ? "red" : "blue"),
                            _ => ScalarValue.Int(rng.Next(3)),
                        };
                        tx.Mark(text, from, to, Names[rng.Next(Names.Length)], value, Expands[rng.Next(Expands.Length)]);
                        break;
                    default:
                        tx.Unmark(text, from, to, Names[rng.Next(Names.Length)], Expands[rng.Next(Expands.Length)]);
                        break;
                }
            }

            tx.Commit();
        }
    }

    private static (AutomergeDocument A, AutomergeDocument B, AutomergeDocument C) Replicas(int seed)
    {
        var rng = new Random(seed);
        var baseDoc = Base();
        var a = baseDoc.Fork(Actors.Numbered(1));
        var b = baseDoc.Fork(Actors.Numbered(2));
        b.TextEncoding = TextEncoding.UnicodeCodePoint;
        var c = baseDoc.Fork(Actors.Numbered(3));
        Edit(a, rng, rng.Next(1, 5));
        Edit(b, rng, rng.Next(1, 5));
        c.Merge(a); // C builds on part of A's history: marks and inserts next to A's marks
        Edit(c, rng, rng.Next(1, 5));
        Edit(a, rng, rng.Next(0, 3));
        return (a, b, c);
    }

    private static string Describe(AutomergeDocument doc)
    {
        var text = TextOf(doc);
        var saved = doc.TextEncoding;
        doc.TextEncoding = TextEncoding.Utf16CodeUnit;
        var marks = string.Join(";", doc.Marks(text).Select(m => $"{m.Name}={m.Value}@{m.Start}-{m.End}"));
        doc.TextEncoding = saved;
        return doc.Text(text) + "|" + marks;
    }

    /// <summary>
    /// Recomputes the marks from the op set one character at a time: a character is covered by a mark begin if it
    /// lies between the begin and its end element (or after the begin when no end follows); per name the covering
    /// begin with the greatest OpId gives the value; equal values on consecutive characters form one span.
    /// </summary>
    private static List<MarkSpan> Oracle(AutomergeDocument doc)
    {
        var seq = doc.RequireSequence(TextOf(doc));
        var elements = seq.Tree.All().ToList();
        var position = new Dictionary<OpId, int>();
        for (var i = 0; i < elements.Count; i++)
        {
            position[elements[i].Id] = i;
        }

        var ranges = new List<(int From, int To, MarkOpRecord Begin)>();
        foreach (var element in elements)
        {
            if (element.InsertOp is MarkOpRecord { IsBegin: true, Hiders: 0 } begin)
            {
                var endId = new OpId(begin.Id.Counter + 1, begin.Id.Actor);
                var to = position.TryGetValue(endId, out var p) && p > position[begin.Id] ? p : int.MaxValue;
                ranges.Add((position[begin.Id], to, begin));
            }
        }

        var spans = new List<MarkSpan>();
        foreach (var name in ranges.Select(r => r.Begin.Name!).Distinct().OrderBy(n => n, StringComparer.Ordinal))
        {
            var offset = 0;
            MarkSpan? open = null;
            for (var i = 0; i < elements.Count; i++)
            {
                if (!elements[i].CountedVisible)
                {
                    continue;
                }

                var winner = ranges.Where(r => r.Begin.Name == name && r.From < i && i < r.To).Select(r => r.Begin).MaxBy(b => b.Id);
                var value = winner?.Value ?? ScalarValue.Null;
                var width = elements[i].CountedWidth;
                if (open is { } o && o.Value == value && o.End == offset)
                {
                    open = o with { End = offset + width };
                }
                else
                {
                    if (open is { Value.IsNull: false } done)
                    {
                        spans.Add(done);
                    }

                    open = new MarkSpan(name, value, offset, offset + width);
                }

                offset += width;
            }

            if (open is { Value.IsNull: false } last)
            {
                spans.Add(last);
            }
        }

        return spans;
    }

    [Fact]
    public void Merge_ConcurrentMarkScripts_AllReplicasConverge()
    {
        var property = Prop.ForAll(Seeds, seed =>
        {
            var (a, b, c) = Replicas(seed);
            b.Merge(a);
            c.Merge(b);
            a.Merge(c);
            b.Merge(c);
            var expected = Describe(a);
            return (Describe(b) == expected && Describe(c) == expected && a.Heads.SequenceEqual(c.Heads))
                .Label("seed " + seed.ToString(CultureInfo.InvariantCulture) + ": " + expected + " / " + Describe(b) + " / " + Describe(c));
        });

        Check.One(PropertyConfig.Seeded(80), property);
    }

    [Fact]
    public void ApplyChanges_ShuffledDelivery_SameMarksAsMerge()
    {
        var property = Prop.ForAll(Seeds, seed =>
        {
            var (a, b, c) = Replicas(seed);
            a.Merge(b);
            a.Merge(c);
            var changes = a.GetAllChanges().ToArray();
            new Random(seed ^ 0x3c3c3c).Shuffle(changes);
            var target = Docs.New(Actors.Numbered(7));
            foreach (var chunk in changes.Chunk(3))
            {
                target.ApplyChanges(chunk);
            }

            return (target.QueuedChangeCount == 0 && Describe(target) == Describe(a)).Label("seed " + seed.ToString(CultureInfo.InvariantCulture));
        });

        Check.One(PropertyConfig.Seeded(60), property);
    }

    [Fact]
    public void Marks_ConcurrentMarkScripts_EqualPerCharacterRecomputation()
    {
        var property = Prop.ForAll(Seeds, seed =>
        {
            var (a, b, c) = Replicas(seed);
            a.Merge(b);
            a.Merge(c);
            var actual = a.Marks(TextOf(a));
            var expected = Oracle(a);
            var length = a.Length(TextOf(a));
            var wellFormed = actual.All(m => m.Start < m.End && m.End <= length && !m.Value.IsNull);
            return (wellFormed && actual.SequenceEqual(expected))
                .Label("seed " + seed.ToString(CultureInfo.InvariantCulture) + ": " + string.Join(";", actual) + " vs " + string.Join(";", expected));
        });

        Check.One(PropertyConfig.Seeded(80), property);
    }

    [Fact]
    public void Replicas_GeneratedScripts_ExerciseOverlapsUnmarksAndSurrogates()
    {
        // Guards the properties above against a generator that stops producing interesting documents.
        int withMarks = 0, withSameNameOverlap = 0, withSurrogates = 0;
        for (var seed = 0; seed < 40; seed++)
        {
            var (a, b, c) = Replicas(seed);
            a.Merge(b);
            a.Merge(c);
            var marks = a.Marks(TextOf(a));
            withMarks += marks.Count > 0 ? 1 : 0;
            withSurrogates += a.Text(TextOf(a)).Any(char.IsSurrogate) ? 1 : 0;
            var begins = a.RequireSequence(TextOf(a)).Tree.All().Select(e => e.InsertOp).OfType<MarkOpRecord>().Where(m => m.IsBegin).ToList();
            withSameNameOverlap += begins.GroupBy(m => m.Name).Any(g => g.Count() > 1) ? 1 : 0;
        }

        Assert.True(withMarks >= 30, "documents with marks: " + withMarks);
        Assert.True(withSameNameOverlap >= 20, "documents with several marks of one name: " + withSameNameOverlap);
        Assert.True(withSurrogates >= 30, "documents with surrogate pairs: " + withSurrogates);
    }

    [Fact]
    public void SaveLoad_AfterConcurrentMarks_MarksUnchanged()
    {
        var property = Prop.ForAll(Seeds, seed =>
        {
            var (a, b, _) = Replicas(seed);
            a.Merge(b);
            var loaded = AutomergeDocument.Load(a.Save());
            return (Describe(loaded) == Describe(a)).Label("seed " + seed.ToString(CultureInfo.InvariantCulture));
        });

        Check.One(PropertyConfig.Seeded(30), property);
    }
}
