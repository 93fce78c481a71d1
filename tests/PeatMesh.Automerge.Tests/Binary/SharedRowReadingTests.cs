using PeatMesh.Automerge.Binary;
using PeatMesh.Automerge.Model;
using PeatMesh.Automerge.Tests.Support;

namespace PeatMesh.Automerge.Tests.Binary;

/// <summary>
/// A large document's op set is built on a second thread that follows the rows as the reader decodes them
/// (<see cref="DocumentOps.AwaitRows"/>, <see cref="OpsAlongside"/>). These tests pin the hand-over: the follower sees
/// only final rows, every row, and stops when reading fails; a load that fails late in its ops reports the reader's
/// error instead of hanging.
/// </summary>
public class SharedRowReadingTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public void AwaitRows_NotShared_ReturnsTheCountAtOnce()
    {
        var ops = new DocumentOps(new DocumentActors([Actors.A]), 16);
        AddRows(ops, 0, 5);

        Assert.Equal(5, ops.AwaitRows(0));
        Assert.Equal(5, ops.AwaitRows(5)); // nothing more will come
        Assert.True(ops.AwaitComplete());
    }

    [Fact]
    public async Task AwaitRows_WhileRowsAreAdded_TheFollowerSeesEveryRowFinal()
    {
        const int total = 50_000;
        var ops = new DocumentOps(new DocumentActors([Actors.A]), total);
        var seen = new List<ulong>();
        var alongside = OpsAlongside.Start(ops, follower =>
        {
            var read = 0;
            while (true)
            {
                var end = follower.AwaitRows(read);
                Assert.True(end >= read, "reading was not abandoned");
                if (end == read)
                {
                    return;
                }

                for (; read < end; read++)
                {
                    seen.Add(follower.Rows[read].Id);
                }
            }
        }, total, minRows: 1);
        Assert.NotNull(alongside); // the test machine has more than one processor (CI and dev boxes do)

        for (var start = 0; start < total; start += 256)
        {
            AddRows(ops, start, Math.Min(256, total - start));
            ops.Publish();
        }

        ops.CompleteReading();
        await Within(Task.Run(alongside.Join), "the follower, after the rows were complete,");

        Assert.Equal(Enumerable.Range(1, total).Select(i => PackedOpId.Pack((ulong)i, 0)), seen);
    }

    [Fact]
    public async Task AwaitRows_ReadingAbandoned_TheFollowerStopsAndJoinQuietlyReturns()
    {
        var ops = new DocumentOps(new DocumentActors([Actors.A]), 1000);
        var results = new List<int>();
        using var sawRows = new ManualResetEventSlim();
        var alongside = OpsAlongside.Start(ops, follower =>
        {
            var read = 0;
            while (true)
            {
                var end = follower.AwaitRows(read);
                lock (results)
                {
                    results.Add(end);
                }

                sawRows.Set();
                if (end <= read)
                {
                    return;
                }

                read = end;
            }
        }, 1000, minRows: 1)!;

        AddRows(ops, 0, 10);
        ops.Publish();
        Assert.True(sawRows.Wait(Deadline), "the follower did not see the published rows within " + Deadline.TotalSeconds + " s.");
        ops.AbandonReading();
        await Within(Task.Run(alongside.JoinQuietly), "the follower, after reading was abandoned,");

        lock (results)
        {
            Assert.Equal([10, -1], results);
        }

        Assert.False(ops.AwaitComplete());
    }

    [Fact]
    public void JoinAfter_BothFail_TheFormatErrorWins()
    {
        var ops = new DocumentOps(new DocumentActors([Actors.A]), 16);
        var alongside = OpsAlongside.Start(ops, _ => throw new InvalidOperationException("follower"), 16, minRows: 1)!;
        ops.CompleteReading();

        var error = Assert.Throws<AutomergeFormatException>(() => alongside.JoinAfter(() => throw new AutomergeFormatException("heads")));
        Assert.Equal("heads", error.Message);

        var ops2 = new DocumentOps(new DocumentActors([Actors.A]), 16);
        var alongside2 = OpsAlongside.Start(ops2, _ => throw new AutomergeFormatException("rows"), 16, minRows: 1)!;
        ops2.CompleteReading();
        var error2 = Assert.Throws<AutomergeFormatException>(() => alongside2.JoinAfter(() => throw new InvalidOperationException("work")));
        Assert.Equal("rows", error2.Message);
    }

    [Fact]
    public void JoinAfter_NeitherFails_TheWorkAndTheFollowerBothRan()
    {
        var ops = new DocumentOps(new DocumentActors([Actors.A]), 16);
        var ran = 0;
        var alongside = OpsAlongside.Start(ops, _ => Interlocked.Increment(ref ran), 16, minRows: 1)!;
        ops.CompleteReading();

        var result = 0;
        alongside.JoinAfter(() => result = 42);
        Assert.Equal(42, result);
        Assert.Equal(1, Volatile.Read(ref ran));
    }

    [Theory]
    [InlineData(300)] // early: most rows not yet published
    [InlineData(19_990)] // late: the follower has placed almost every row
    public async Task Load_LargeDocumentWithABadRow_ThrowsTheReadersErrorWithoutHanging(int badRow)
    {
        const int rows = 20_000; // above DocumentChunk.ParallelVerificationOps: the op set follows the reader
        var doc = new AutomergeDocument(ActorId.FromBytes([0xab, 0xcd]));
        var tx = doc.BeginTransaction();
        var text = tx.PutObject(ObjId.Root, "text", ObjType.Text);
        tx.SpliceText(text, 0, 0, new string('x', rows - 1));
        tx.Commit(time: 1);
        var bytes = TamperedDocuments.Write(doc.GetAllChanges(), tamperColumns: columns =>
        {
            var index = columns.FindIndex(c => c.Spec.Normalized == OpColumnSpecs.Action.Normalized);
            var decoder = new RleDecoder<ulong, UInt64Codec>(columns[index].Data.Span, "action");
            var encoder = new RleEncoder<ulong, UInt64Codec>();
            for (var i = 0; !decoder.IsDone; i++)
            {
                Assert.True(decoder.TryNext(out var action));
                encoder.Append(i == badRow ? 99 : action);
            }

            columns[index] = (columns[index].Spec, encoder.Finish().ToArray());
        });
        Assert.True(rows >= DocumentChunk.ParallelVerificationOps);

        var load = Task.Run(() => AutomergeDocument.Load(bytes));
        await Within(load.ContinueWith(_ => { }, TaskScheduler.Default), "the load");
        var error = Assert.IsType<AutomergeFormatException>(load.Exception?.InnerException);
        Assert.Equal("Unknown action 99.", error.Message);
    }

    [Fact]
    public void Load_LargeTextWithMarks_EqualsReplayingItsChanges()
    {
        // Mark names are read from a map the reader fills: the follower waits for the whole read before reading one.
        var doc = Docs.New(Actors.A);
        var text = default(ObjId);
        doc.Change(tx =>
        {
            text = tx.PutObject(ObjId.Root, "text", ObjType.Text);
            tx.SpliceText(text, 0, 0, string.Concat(Enumerable.Repeat("lorem ipsum ", 2000)));
        });
        doc.Change(tx =>
        {
            tx.Mark(text, 10, 50, "bold", ScalarValue.Boolean(true));
            tx.Mark(text, 20_000, 23_000, "link", ScalarValue.Str("https://example.org"));
        });
        var bytes = doc.Save();

        var loaded = AutomergeDocument.Load(bytes);
        var replayed = Docs.Replay(bytes);

        Assert.Equal(StoreSnapshot.Describe(replayed), StoreSnapshot.Describe(loaded));
        Assert.Equal(doc.Marks(text).Count, loaded.Marks(text).Count);
    }

    private static async Task Within(Task task, string step)
    {
        try
        {
            await task.WaitAsync(Deadline);
        }
        catch (TimeoutException)
        {
            Assert.Fail(step + " did not finish within " + Deadline.TotalSeconds + " s.");
        }
    }

    private static void AddRows(DocumentOps ops, int start, int count)
    {
        for (var i = start; i < start + count; i++)
        {
            ops.Add(new DocumentOpRow { Id = PackedOpId.Pack((ulong)i + 1, 0), Action = OpAction.Set, Value = ScalarValue.Int(i) });
        }
    }
}
