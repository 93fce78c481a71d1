using PeatMesh.Automerge.Model;
using PeatMesh.Automerge.Sync;

namespace PeatMesh.Automerge.Tests.Sync;

public class SyncMessageTests
{
    // automerge.md §4.1: an empty document's first message.
    private static readonly byte[] SpecEmptyOpener = Convert.FromHexString("42000001000000020284");

    public static TheoryData<string> DemoFiles => new(SyncFixtures.DemoSession);

    [Fact]
    public void Decode_SpecEmptyOpener_HasOneEmptyHaveAndTrailer()
    {
        var message = SyncMessage.Decode(SpecEmptyOpener);
        Assert.Equal(SyncMessageVersion.V1, message.Version);
        Assert.Empty(message.Heads);
        Assert.Empty(message.Need);
        var have = Assert.Single(message.Have);
        Assert.Empty(have.LastSync);
        Assert.Equal(0, have.Bloom.Count);
        Assert.Empty(message.Changes);
        Assert.Equal(SyncMessageFlags.SupportsSyncReset, message.Flags);
    }

    [Fact]
    public void Encode_SpecEmptyOpenerFields_ProducesSpecBytes()
    {
        var message = new SyncMessage
        {
            Version = SyncMessageVersion.V1,
            Have = [new SyncHave([], BloomFilter.Empty)],
            Flags = SyncMessageFlags.SupportsSyncReset,
        };
        Assert.Equal(SpecEmptyOpener, message.Encode());
    }

    [Theory]
    [MemberData(nameof(DemoFiles))]
    public void Decode_DemoSessionMessage_ReencodesByteIdentically(string file)
    {
        var bytes = SyncFixtures.Demo(file);
        var message = SyncMessage.Decode(bytes);
        Assert.Equal(SyncMessageFlags.SupportsSyncReset, message.Flags);
        Assert.Equal(bytes, message.Encode());
    }

    [Fact]
    public void Decode_DemoSync1_MatchesSpecLayout()
    {
        // automerge.md §4.1: 42 01 <head> 00 01 00 06 02 0a 07 4b 22 60 00 02 02 84
        var bytes = SyncFixtures.Demo("demo-sync-1-a2b.bin");
        var message = SyncMessage.Decode(bytes);
        Assert.Equal(SyncMessageVersion.V1, message.Version);
        var head = Assert.Single(message.Heads);
        Assert.Equal(ChangeHash.FromBytes(bytes.AsSpan(2, 32)), head);
        Assert.Empty(message.Need);
        var have = Assert.Single(message.Have);
        Assert.Empty(have.LastSync);
        Assert.Equal(2, have.Bloom.Count);
        Assert.Equal(10, have.Bloom.BitsPerEntry);
        Assert.Equal(7, have.Bloom.Probes);
        Assert.Equal(new byte[] { 0x4b, 0x22, 0x60 }, have.Bloom.Bits.ToArray());
        Assert.Empty(message.Changes);

        // The sender's head is one of its changes, so its bloom must contain it.
        Assert.True(have.Bloom.Contains(head));
    }

    [Fact]
    public void Decode_DemoSession_FollowsObservedFlow()
    {
        var m1 = SyncMessage.Decode(SyncFixtures.Demo("demo-sync-1-a2b.bin"));
        var m2 = SyncMessage.Decode(SyncFixtures.Demo("demo-sync-2-b2a.bin"));
        var m3 = SyncMessage.Decode(SyncFixtures.Demo("demo-sync-3-a2b.bin"));
        var m4 = SyncMessage.Decode(SyncFixtures.Demo("demo-sync-4-b2a.bin"));
        var aHead = Assert.Single(m1.Heads);

        // B -> A: V2, empty heads, needs A's head, one empty have.
        Assert.Equal(SyncMessageVersion.V2, m2.Version);
        Assert.Empty(m2.Heads);
        Assert.Equal(aHead, Assert.Single(m2.Need));
        Assert.Equal(0, Assert.Single(m2.Have).Bloom.Count);

        // A -> B: V2 with one entry holding a whole document chunk (type 0).
        Assert.Equal(SyncMessageVersion.V2, m3.Version);
        var doc = Assert.Single(m3.Changes);
        Assert.Equal(new byte[] { 0x85, 0x6f, 0x4a, 0x83 }, doc.Span[..4].ToArray());
        Assert.Equal(0, doc.Span[8]);

        // B -> A: ack with A's head as heads and lastSync.
        Assert.Equal(aHead, Assert.Single(m4.Heads));
        Assert.Equal(aHead, Assert.Single(Assert.Single(m4.Have).LastSync));
        Assert.Empty(m4.Changes);
    }

    [Fact]
    public void Decode_SlowSyncMessage_IsV1WithoutTrailerAndReencodes()
    {
        var bytes = SyncFixtures.SlowSyncMessage();
        var message = SyncMessage.Decode(bytes);
        Assert.Equal(SyncMessageVersion.V1, message.Version);
        Assert.Null(message.Flags);
        Assert.Equal(6483, message.Changes.Count);
        Assert.All(message.Changes, c => Assert.Equal(new byte[] { 0x85, 0x6f, 0x4a, 0x83 }, c.Span[..4].ToArray()));
        Assert.Equal(bytes, message.Encode());
    }

    [Fact]
    public void Decode_RepoFrameMessages_ReencodeByteIdentically()
    {
        var count = 0;
        foreach (var (frame, data) in SyncFixtures.RepoFrameMessages())
        {
            var message = SyncMessage.Decode(data);
            Assert.True(message.Flags is not null, frame + " has a flags trailer");
            Assert.True(data.AsSpan().SequenceEqual(message.Encode()), frame + " re-encodes byte-identically");
            count++;
        }

        Assert.Equal(8, count); // 2 request + 6 sync frames
    }

    [Theory]
    [InlineData("4200000000", null)] // no trailer: an old peer
    [InlineData("4200000000020102", SyncMessageFlags.None)] // old capability list: V1, V2
    [InlineData("420000000003020102", SyncMessageFlags.None)]
    [InlineData("42000000000100", SyncMessageFlags.None)] // one byte, no flag bits
    [InlineData("42000000000102", SyncMessageFlags.None)]
    [InlineData("4300000000020287", SyncMessageFlags.SupportsSyncReset | SyncMessageFlags.ReadOnly | SyncMessageFlags.SyncReset)]
    [InlineData("4300000000028102", SyncMessageFlags.SyncReset)]
    [InlineData("420000000000", SyncMessageFlags.None)] // empty trailer is still a trailer
    [InlineData("430000000002028400ff", SyncMessageFlags.SupportsSyncReset)] // bytes after the trailer are ignored
    public void Decode_Trailer_ParsesFlags(string hex, SyncMessageFlags? expected)
    {
        var message = SyncMessage.Decode(Convert.FromHexString(hex));
        Assert.Equal(expected, message.Flags);
    }

    [Fact]
    public void Decode_OldTrailer_MeansPeerUnderstandsV2()
    {
        var message = SyncMessage.Decode(Convert.FromHexString("4200000000020102"));
        Assert.NotNull(message.Flags);

        // Re-encoding writes the 3.x trailer form.
        Assert.Equal(Convert.FromHexString("4200000000020280"), message.Encode());
    }

    [Fact]
    public void Encode_UnsortedHashes_AreSorted()
    {
        var low = ChangeHash.FromBytes(Enumerable.Repeat((byte)0x01, 32).ToArray());
        var high = ChangeHash.FromBytes(Enumerable.Repeat((byte)0xfe, 32).ToArray());
        var message = new SyncMessage
        {
            Heads = [high, low],
            Need = [high, low],
            Have = [new SyncHave([high, low], BloomFilter.Create([low, high]))],
        };
        var decoded = SyncMessage.Decode(message.Encode());
        Assert.Equal(new[] { low, high }, decoded.Heads);
        Assert.Equal(new[] { low, high }, decoded.Need);
        Assert.Equal(new[] { low, high }, decoded.Have[0].LastSync);
        Assert.True(decoded.Have[0].Bloom.Contains(low));
        Assert.True(decoded.Have[0].Bloom.Contains(high));
    }

    [Fact]
    public void Encode_ChangesAndFlags_RoundTrip()
    {
        var message = new SyncMessage
        {
            Version = SyncMessageVersion.V1,
            Changes = [new byte[] { 1, 2, 3 }, Array.Empty<byte>(), new byte[300]],
            Flags = SyncMessageFlags.ReadOnly | SyncMessageFlags.SupportsSyncReset,
        };
        var decoded = SyncMessage.Decode(message.Encode());
        Assert.Equal(3, decoded.Changes.Count);
        Assert.Equal(new byte[] { 1, 2, 3 }, decoded.Changes[0].ToArray());
        Assert.Equal(0, decoded.Changes[1].Length);
        Assert.Equal(300, decoded.Changes[2].Length);
        Assert.Equal(message.Flags, decoded.Flags);
    }

    [Fact]
    public void Encode_UndefinedVersion_Throws()
    {
        var message = new SyncMessage { Version = (SyncMessageVersion)0x44 };
        Assert.Throws<InvalidOperationException>(() => message.Encode());
    }

    [Theory]
    [InlineData("")]
    [InlineData("44000000")] // unknown version byte
    [InlineData("00")]
    [InlineData("42")]
    [InlineData("4201")] // one head, no bytes
    [InlineData("42ffffffffffffffff7f")] // 2^63 heads
    [InlineData("4200000100")] // have entry without bloom length
    [InlineData("420000010001ff")] // bloom length beyond input
    [InlineData("42000000ffffffff0f")] // huge change count
    [InlineData("4200000001050102")] // change entry longer than input
    [InlineData("4200000000ff")] // trailer length beyond input
    [InlineData("4200000100040102030405")] // bloom with trailing bytes
    public void Decode_Malformed_ThrowsFormatException(string hex)
    {
        Assert.Throws<AutomergeFormatException>(() => SyncMessage.Decode(Convert.FromHexString(hex)));
    }

    [Theory]
    [MemberData(nameof(DemoFiles))]
    public void Decode_EveryTruncation_ThrowsFormatExceptionOrParsesPrefix(string file)
    {
        var bytes = SyncFixtures.Demo(file);
        for (var length = 0; length < bytes.Length; length++)
        {
            try
            {
                // A prefix that ends exactly after the changes field is a valid message without trailer.
                var message = SyncMessage.Decode(bytes.AsSpan(0, length));
                Assert.Null(message.Flags);
            }
            catch (AutomergeFormatException)
            {
            }
        }
    }

    [Fact]
    public void Decode_RandomMutations_OnlyFormatExceptions()
    {
        var random = new Random(20240601);
        var seeds = SyncFixtures.DemoSession.Select(SyncFixtures.Demo).ToArray();
        for (var i = 0; i < 20_000; i++)
        {
            var input = (byte[])seeds[random.Next(seeds.Length)].Clone();
            var flips = 1 + random.Next(4);
            for (var f = 0; f < flips; f++)
            {
                input[random.Next(input.Length)] = (byte)random.Next(256);
            }

            try
            {
                var message = SyncMessage.Decode(input);
                _ = message.Encode();
            }
            catch (AutomergeFormatException)
            {
            }
        }
    }

    [Fact]
    public void RepoFrames_ServerBloom_ContainsTheServerDocumentChanges()
    {
        var messages = SyncFixtures.RepoFrameMessages().ToList();
        var serverMessages = messages.Where(m => m.Frame.Contains("-s2c-", StringComparison.Ordinal)).Select(m => SyncMessage.Decode(m.Message)).ToList();
        var opener = serverMessages.First(m => m.Have.Count > 0 && m.Have[0].Bloom.Count > 0);
        var documentReply = serverMessages.First(m => m.Changes.Count > 0);
        var changes = PeatMesh.Automerge.Binary.DocumentChunk.ReadAllChanges(Assert.Single(documentReply.Changes));
        var bloom = opener.Have[0].Bloom;
        Assert.Equal(changes.Count, bloom.Count);
        Assert.All(changes, c => Assert.True(bloom.Contains(c.Hash), "server bloom contains " + c.Hash));
        Assert.Equal(opener.Heads.Order(), changes.Select(c => c.Hash).Where(h => !changes.SelectMany(c => c.Deps).Contains(h)).Order());
    }
}
