using PeatMesh.Automerge.Model;
using PeatMesh.Automerge.Sync;
using PeatMesh.Automerge.Tests.Support;

namespace PeatMesh.Automerge.Tests.Sync;

public class DocumentSyncTests
{
    private static void AssertConverged(params AutomergeDocument[] docs)
    {
        foreach (var doc in docs.Skip(1))
        {
            Assert.Equal(docs[0].Heads, doc.Heads);
            Assert.Equal(Docs.Json(docs[0]), Docs.Json(doc));
            Assert.Equal(0, doc.QueuedChangeCount);
        }
    }

    private static (AutomergeDocument A, AutomergeDocument B) Divergent(int seed, int maxChanges = 8)
    {
        var rng = new Random(seed);
        var baseDoc = RandomEdits.Base();
        var a = baseDoc.Fork(Actors.Numbered(1));
        var b = baseDoc.Fork(Actors.Numbered(2));
        RandomEdits.Apply(a, rng, rng.Next(0, maxChanges));
        RandomEdits.Apply(b, rng, rng.Next(0, maxChanges));
        return (a, b);
    }

    [Fact]
    public void GenerateSyncMessage_EmptyDocFirstMessage_MatchesAutomergeBytes()
    {
        var doc = Docs.New(Actors.A);

        var message = doc.GenerateSyncMessage(new SyncState())!;

        // Spec §4.1: V1, no heads/need, one have (empty lastSync, empty bloom), no changes, trailer 02 02 84.
        Assert.Equal(Convert.FromHexString("42000001000000020284"), message.Encode());
    }

    [Fact]
    public void ReceiveSyncMessage_DemoOpenerIntoEmptyDoc_ReplyMatchesRecordedSession()
    {
        var doc = Docs.New(Actors.B);
        var state = new SyncState();

        doc.ReceiveSyncMessage(state, SyncMessage.Decode(SyncFixtures.Demo("demo-sync-1-a2b.bin")));
        var reply = doc.GenerateSyncMessage(state)!;

        // Automerge 3.5.0's reply from an empty document: V2, need = the sender's head, an empty have.
        Assert.Equal(SyncFixtures.Demo("demo-sync-2-b2a.bin"), reply.Encode());
        Assert.Null(doc.GenerateSyncMessage(state));
    }

    [Fact]
    public void Sync_InSync_BothSidesGoQuietAfterOneExchange()
    {
        var (a, _) = Divergent(1);
        var b = a.Fork(Actors.Numbered(2));
        var session = new SyncSession(a, b);

        session.RunUntilQuiet(3, "already in sync");

        Assert.Equal(0, session.ChangesTransferred);
        Assert.True(session.Messages <= 2, $"{session.Messages} messages");
    }

    [Fact]
    public void Sync_EmptyPeer_ReceivesWholeDocumentAsV2()
    {
        var (a, _) = Divergent(2);
        var b = Docs.New(Actors.Numbered(2));
        var session = new SyncSession(a, b);

        session.RunUntilQuiet(6, "empty peer");

        AssertConverged(a, b);
        // As in the recorded session: V1 opener, V2 need, V2 whole document, V2 ack.
        Assert.Equal(SyncMessageVersion.V1, session.Delivered[0].Version);
        Assert.All(session.Delivered.Skip(1), m => Assert.Equal(SyncMessageVersion.V2, m.Version));
        Assert.Contains(session.Delivered, m => m.Changes.Count == 1
            && AutomergeDocument.DecodeChanges(m.Changes[0]).Count == a.ChangeCount);
    }

    [Fact]
    public void Sync_RandomDivergentHistories_TwoPeersConverge()
    {
        for (var seed = 0; seed < 25; seed++)
        {
            var (a, b) = Divergent(seed);
            var session = new SyncSession(a, b);

            var rounds = session.RunUntilQuiet(10, "two peers, seed " + seed);

            AssertConverged(a, b);
            Assert.True(rounds <= 6, $"seed {seed}: {rounds} rounds");
        }
    }

    [Fact]
    public void Sync_ManyChangesOnOneSide_SendsOnlyMissingChanges()
    {
        var rng = new Random(99);
        var baseDoc = RandomEdits.Base();
        RandomEdits.Apply(baseDoc, rng, 30);
        var a = baseDoc.Fork(Actors.Numbered(1));
        var b = baseDoc.Fork(Actors.Numbered(2));
        RandomEdits.Apply(a, rng, 3);
        var session = new SyncSession(a, b);

        session.RunUntilQuiet(8, "incremental");

        AssertConverged(a, b);
        // The bloom filter tells A that B has the 31 shared changes; only A's 3 new ones travel
        // (a false positive could only reduce this, never add).
        Assert.Equal(3, session.ChangesTransferred);
    }

    [Fact]
    public void Sync_ThreePeers_PairwiseSessionsConverge()
    {
        for (var seed = 0; seed < 10; seed++)
        {
            var rng = new Random(seed);
            var baseDoc = RandomEdits.Base();
            var docs = Enumerable.Range(1, 3).Select(i => baseDoc.Fork(Actors.Numbered(i))).ToArray();
            foreach (var doc in docs)
            {
                RandomEdits.Apply(doc, rng, rng.Next(1, 6));
            }

            var sessions = new[]
            {
                new SyncSession(docs[0], docs[1]),
                new SyncSession(docs[1], docs[2]),
                new SyncSession(docs[2], docs[0]),
            };
            var quiet = false;
            for (var round = 0; round < 30 && !quiet; round++)
            {
                quiet = true;
                foreach (var session in sessions)
                {
                    quiet &= !session.Round();
                }
            }

            Assert.True(quiet, $"three peers, seed {seed}: sessions did not go quiet within 30 rounds");
            AssertConverged(docs);
        }
    }

    [Fact]
    public void Sync_PeerRestartsWithPersistedState_OnlyNewChangesTravel()
    {
        var rng = new Random(7);
        var baseDoc = RandomEdits.Base();
        RandomEdits.Apply(baseDoc, rng, 20);
        var a = baseDoc.Fork(Actors.Numbered(1));
        var b = baseDoc.Fork(Actors.Numbered(2));
        RandomEdits.Apply(a, rng, 3);
        RandomEdits.Apply(b, rng, 3);
        var session = new SyncSession(a, b);
        session.RunUntilQuiet(10, "first session");
        AssertConverged(a, b);
        var persistedA = session.StateA.Encode();
        var persistedB = session.StateB.Encode();

        // Both sides edit while disconnected; B "restarts" (reloaded from its saved bytes).
        var shared = a.ChangeCount;
        RandomEdits.Apply(a, rng, 2);
        var bRestarted = AutomergeDocument.Load(b.Save(), Actors.Numbered(2));
        RandomEdits.Apply(bRestarted, rng, 3);
        var newChanges = (a.ChangeCount - shared) + (bRestarted.ChangeCount - shared);
        var resumed = new SyncSession(a, bRestarted)
        {
            StateA = SyncState.Decode(persistedA),
            StateB = SyncState.Decode(persistedB),
        };

        resumed.RunUntilQuiet(10, "resumed session");

        AssertConverged(a, bRestarted);
        // Each side's new changes are well under a third of its history, so they travel one by one
        // (no whole-document switch), and the persisted shared heads mean nothing old is resent.
        Assert.InRange(newChanges, 3, 5);
        Assert.Equal(newChanges, resumed.ChangesTransferred);
        Assert.Equal(a.Heads, resumed.StateA.SharedHeads);
    }

    [Fact]
    public void Sync_SmallDocManyNewChanges_SwitchesToWholeDocument()
    {
        var a = RandomEdits.Base().Fork(Actors.Numbered(1));
        var b = a.Fork(Actors.Numbered(2));
        var rng = new Random(4);
        for (var i = 0; i < 100 && a.ChangeCount < 7; i++)
        {
            RandomEdits.Apply(a, rng, 1);
        }

        Assert.Equal(7, a.ChangeCount);
        var session = new SyncSession(a, b);

        session.RunUntilQuiet(10, "whole document switch");

        AssertConverged(a, b);
        // 6 missing changes > 7 / 3, and B speaks V2: A sends its whole document (all 7 changes).
        Assert.Contains(session.Delivered, m => m.Version == SyncMessageVersion.V2 && m.Changes.Count == 1
            && AutomergeDocument.DecodeChanges(m.Changes[0]).Count == 7);
    }

    [Fact]
    public void Sync_ReadOnlyPeer_ReceivesButSendsNothing()
    {
        var (a, b) = Divergent(11);
        var bHeadsBefore = b.Heads;
        var aHeadsBefore = a.Heads;
        var session = new SyncSession(a, b);
        session.StateA.ReadOnly = true;

        session.RunUntilQuiet(10, "read-only A");

        // A refuses B's changes and announces READ_ONLY, so B never sends any; B still gets A's changes.
        Assert.Equal(aHeadsBefore, a.Heads);
        Assert.True(session.StateB.PeerReadOnly);
        Assert.True(a.Heads.All(b.HasChange));
        Assert.True(bHeadsBefore.All(h => !a.HasChange(h) || aHeadsBefore.Contains(h)));
    }

    [Fact]
    public void Sync_LostMessage_RecoversByReconnectingWithPersistedState()
    {
        var (a0, b0) = Divergent(21, maxChanges: 6);
        var reference = new SyncSession(a0.Fork(Actors.Numbered(1)), b0.Fork(Actors.Numbered(2)));
        reference.RunUntilQuiet(10, "lossless reference session");
        Assert.True(reference.Messages >= 3, $"only {reference.Messages} messages");
        var sessionsNeedingReconnect = 0;

        for (var drop = 1; drop <= reference.Messages; drop++)
        {
            var a = a0.Fork(Actors.Numbered(1));
            var b = b0.Fork(Actors.Numbered(2));
            var session = new SyncSession(a, b);
            session.Drop.Add(drop);

            // The protocol assumes an ordered, reliable channel: a lost message carrying changes leaves
            // them in the sender's sentHashes, so the session stalls (ping-pong without progress) or goes
            // quiet unconverged. The recovery is a new session from the persisted state, as after any reconnect.
            var reconnects = 0;
            var idleRounds = 0;
            for (var round = 0; round < 40; round++)
            {
                var (headsA, headsB) = (a.Heads, b.Heads);
                var active = session.Round();
                var converged = a.Heads.SequenceEqual(b.Heads);
                if (!active && converged)
                {
                    break;
                }

                idleRounds = headsA.SequenceEqual(a.Heads) && headsB.SequenceEqual(b.Heads) ? idleRounds + 1 : 0;
                if (!active || idleRounds >= 4)
                {
                    session.Reconnect();
                    reconnects++;
                    idleRounds = 0;
                }
            }

            Assert.True(a.Heads.SequenceEqual(b.Heads), $"drop {drop}: not converged after 40 rounds");
            AssertConverged(a, b);
            Assert.Single(session.Dropped);
            Assert.True(reconnects <= 1, $"drop {drop}: {reconnects} reconnects");
            if (session.Dropped[0].Changes.Count == 0)
            {
                Assert.True(reconnects == 0, $"drop {drop}: losing a message without changes needed a reconnect");
            }

            sessionsNeedingReconnect += reconnects;
        }

        // Losing a change-carrying message is exactly the case that needs the reconnect.
        Assert.True(sessionsNeedingReconnect > 0, "no lost message ever needed a reconnect");
    }

    [Fact]
    public void Sync_ResetRequested_PeerForgetsSentHashes()
    {
        var (a, b) = Divergent(31);
        var session = new SyncSession(a, b);
        session.RunUntilQuiet(10, "initial");
        RandomEdits.Apply(a, new Random(5), 2);
        Assert.True(session.StepAToB());
        Assert.NotEmpty(session.StateA.SentHashes);

        session.StateB.RequestReset();
        b.Change(tx => tx.Put(ObjId.Root, "after-reset", ScalarValue.Int(1)));
        session.RunUntilQuiet(10, "after reset");

        Assert.Contains(session.Delivered, m => m.Flags is { } f && f.HasFlag(SyncMessageFlags.SyncReset));
        AssertConverged(a, b);
    }

    [Fact]
    public void ReceiveSyncMessage_UnknownLastSync_AnswersWithResetMessage()
    {
        var (a, b) = Divergent(40);
        var stateB = new SyncState();
        var bogusHave = new SyncHave([ChangeHash.Parse(new string('1', 64))], BloomFilter.Empty);
        b.ReceiveSyncMessage(stateB, new SyncMessage
        {
            Version = SyncMessageVersion.V1,
            Heads = a.Heads,
            Have = [bogusHave],
            Flags = SyncMessageFlags.SupportsSyncReset,
        });

        var reply = b.GenerateSyncMessage(stateB)!;

        // Spec §4.4: a have naming changes we do not know is answered with a V1 reset message.
        Assert.Equal(SyncMessageVersion.V1, reply.Version);
        Assert.Equal(b.Heads, reply.Heads);
        Assert.Empty(reply.Need);
        var have = Assert.Single(reply.Have);
        Assert.Empty(have.LastSync);
        Assert.Equal(0, have.Bloom.Count);
        Assert.Empty(reply.Changes);
    }

    [Fact]
    public void SyncState_EncodeDecode_KeepsOnlySharedHeads()
    {
        var (a, b) = Divergent(3);
        var session = new SyncSession(a, b);
        session.RunUntilQuiet(10, "initial");

        var decoded = SyncState.Decode(session.StateA.Encode());

        Assert.Equal(session.StateA.SharedHeads, decoded.SharedHeads);
        Assert.Empty(decoded.SentHashes);
        Assert.NotNull(decoded.TheirHave);
        Assert.Empty(decoded.TheirHave!);
        Assert.Null(decoded.TheirHeads);
        Assert.False(decoded.InFlight);
        Assert.Throws<AutomergeFormatException>(() => SyncState.Decode([0x42, 0x00]));
    }
}
