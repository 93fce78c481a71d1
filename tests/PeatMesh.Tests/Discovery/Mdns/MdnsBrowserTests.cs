using System.Net;
using PeatMesh.Discovery;
using PeatMesh.Discovery.Mdns;
using static PeatMesh.Tests.Discovery.Mdns.MdnsMessages;

namespace PeatMesh.Tests.Discovery.Mdns;

/// <summary>The browsing side on a fake LAN and clock (RFC 6762 §5, §7, §10; RFC 6763 §4-6).</summary>
public class MdnsBrowserTests
{
    private const string A = "10.0.0.1";
    private const string B = "10.0.0.2";

    [Fact]
    public async Task TwoNodes_FindEachOtherWithAddressesAndTxtMetadata()
    {
        await using var lan = new MdnsTestLan();
        var eventsA = new List<DiscoveryEvent>();
        var eventsB = new List<DiscoveryEvent>();
        var a = await lan.StartNodeAsync(A, "node-a", 1111, eventsA);
        var b = await lan.StartNodeAsync(B, "node-b", 2222, eventsB);

        lan.Run(TimeSpan.FromSeconds(5));

        var found = Assert.Single(eventsA);
        Assert.Equal(DiscoveryEventKind.Found, found.Kind);
        Assert.Equal("node-b", found.Peer.NodeId);
        Assert.Equal("mdns", found.Peer.Source);
        Assert.Equal([new PeatMesh.Transport.PeerAddress(B, 2222)], found.Peer.Addresses);
        Assert.Equal(MdnsTestLan.DeviceOf("node-b").ToString(), found.Peer.Metadata["device_id"]);
        Assert.Equal("1", found.Peer.Metadata["proto"]);
        Assert.Equal("node-b", found.Peer.Metadata["NODE_ID"]); // TXT keys are case-insensitive
        Assert.Equal("node-a", Assert.Single(eventsB).Peer.NodeId);
        Assert.Equal(found.Peer, Assert.Single(a.Peers));
        Assert.Equal("node-a", Assert.Single(b.Peers).NodeId);
    }

    [Fact]
    public async Task Browse_QueryIntervalsDoubleUpToTheMaximum()
    {
        await using var lan = new MdnsTestLan();
        await lan.StartNodeAsync(A, "node-a", 1111, options: new MdnsOptions { MaxQueryInterval = TimeSpan.FromSeconds(8) });

        lan.Run(TimeSpan.FromSeconds(40));

        var times = lan.From(A).Where(d => IsBrowse(d.Message)).Select(d => d.At).ToList();
        Assert.InRange(times[0] - lan.Start, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(120));
        Assert.Equal(
            new[] { 1, 2, 4, 8, 8, 8, 8 }.Select(s => TimeSpan.FromSeconds(s)),
            times.Zip(times.Skip(1), (x, y) => y - x));
    }

    [Fact]
    public async Task Browse_CarriesKnownAnswers_SoKnownPeersStayQuiet()
    {
        await using var lan = new MdnsTestLan();
        await lan.StartNodeAsync(A, "node-a", 1111);
        await lan.StartNodeAsync(B, "node-b", 2222);
        lan.Run(TimeSpan.FromSeconds(6));
        var since = lan.Clock.GetUtcNow();

        lan.RunUntil(() => lan.From(A).Any(d => d.At > since && IsBrowse(d.Message)), TimeSpan.FromSeconds(10), "next browse query of A");
        lan.Run(TimeSpan.FromMilliseconds(200));

        var query = lan.From(A).First(d => d.At > since && IsBrowse(d.Message)).Message;
        Assert.Contains(query.Answers, r => r.Data.Equals(new PtrRecordData(InstanceOf("node-b"))) && r.Ttl > 2250);
        Assert.DoesNotContain(lan.From(B), d => d.At > since && d.Message.IsResponse);
    }

    [Fact]
    public async Task Goodbye_RaisesLostAtOnce()
    {
        await using var lan = new MdnsTestLan();
        var events = new List<DiscoveryEvent>();
        var a = await lan.StartNodeAsync(A, "node-a", 1111, events);
        var b = await lan.StartNodeAsync(B, "node-b", 2222);
        lan.Run(TimeSpan.FromSeconds(5));

        await b.DisposeAsync();
        lan.Run(TimeSpan.FromMilliseconds(10));

        Assert.Equal([DiscoveryEventKind.Found, DiscoveryEventKind.Lost], events.Select(e => e.Kind));
        Assert.Equal("node-b", events[1].Peer.NodeId);
        Assert.Empty(a.Peers);
    }

    [Fact]
    public async Task SilentPeer_IsLostWhenItsHostRecordsExpire_AfterRefreshQueries()
    {
        await using var lan = new MdnsTestLan();
        var events = new List<DiscoveryEvent>();
        var a = await lan.StartNodeAsync(A, "node-a", 1111, events);
        await lan.StartNodeAsync(B, "node-b", 2222);
        lan.Run(TimeSpan.FromSeconds(5));
        var lastHeard = lan.From(B).Last(d => d.Message.IsResponse).At;

        lan.Network.Drop = d => d.From.Equals(IPAddress.Parse(B)); // B crashes: no goodbye, no answers
        lan.Run(lastHeard + TimeSpan.FromSeconds(110) - lan.Clock.GetUtcNow());
        Assert.Single(a.Peers);

        lan.Run(TimeSpan.FromSeconds(11));
        Assert.Empty(a.Peers);
        var lost = events.Last();
        Assert.Equal((DiscoveryEventKind.Lost, "node-b"), (lost.Kind, lost.Peer.NodeId));

        // RFC 6762 §5.2: A asked for B's SRV from 80 % of its 120 s TTL on.
        var srvQueries = lan.From(A)
            .Where(d => d.At < lastHeard + TimeSpan.FromSeconds(120)) // later ones try to resolve B again after the loss
            .Where(d => !d.Message.IsResponse && d.Message.Questions.Any(q => q.Type == DnsRecordType.Srv && q.Name == InstanceOf("node-b")))
            .Select(d => d.At - lastHeard)
            .ToList();
        Assert.Equal(4, srvQueries.Count);
        Assert.All(srvQueries, t => Assert.InRange(t, TimeSpan.FromSeconds(96), TimeSpan.FromSeconds(117)));
    }

    [Fact]
    public async Task LivePeer_AnswersRefreshQueries_AndIsNeverLost()
    {
        await using var lan = new MdnsTestLan();
        var events = new List<DiscoveryEvent>();
        var a = await lan.StartNodeAsync(A, "node-a", 1111, events);
        await lan.StartNodeAsync(B, "node-b", 2222);

        lan.Run(TimeSpan.FromSeconds(400));

        Assert.Equal([DiscoveryEventKind.Found], events.Select(e => e.Kind));
        Assert.Single(a.Peers);
    }

    [Fact]
    public async Task ChangedTxt_RaisesUpdated()
    {
        await using var lan = new MdnsTestLan();
        var events = new List<DiscoveryEvent>();
        await lan.StartNodeAsync(A, "node-a", 1111, events);
        lan.Inject(ServiceResponse("other", "other.local", 4000, "10.0.0.99", 120, ("node_id", "other"), ("version", "1")));
        lan.Run(TimeSpan.FromSeconds(2));

        lan.Inject(ServiceResponse("other", "other.local", 4000, "10.0.0.99", 120, ("node_id", "other"), ("version", "2")));
        lan.Run(TimeSpan.FromMilliseconds(10));

        Assert.Equal([DiscoveryEventKind.Found, DiscoveryEventKind.Updated], events.Select(e => e.Kind));
        Assert.Equal("2", events[1].Peer.Metadata["version"]);
    }

    [Fact]
    public async Task ChangedAddress_WithCacheFlush_RaisesUpdatedWithTheNewAddressOnly()
    {
        await using var lan = new MdnsTestLan();
        var events = new List<DiscoveryEvent>();
        await lan.StartNodeAsync(A, "node-a", 1111, events);
        lan.Inject(ServiceResponse("other", "other.local", 4000, "10.0.0.98", 120, ("node_id", "other")));
        lan.Run(TimeSpan.FromSeconds(2));

        lan.Inject(ServiceResponse("other", "other.local", 4000, "10.0.0.97", 120, ("node_id", "other")));
        lan.Run(TimeSpan.FromMilliseconds(10));

        Assert.Equal(["10.0.0.98:4000"], events[0].Peer.Addresses.Select(x => x.ToString()));
        Assert.Equal(DiscoveryEventKind.Updated, events[1].Kind);
        Assert.Equal(["10.0.0.97:4000"], events[1].Peer.Addresses.Select(x => x.ToString()));
    }

    [Fact]
    public async Task PtrAlone_TriggersResolveQueries_ThenPeerIsFound()
    {
        await using var lan = new MdnsTestLan();
        var events = new List<DiscoveryEvent>();
        await lan.StartNodeAsync(A, "node-a", 1111, events);
        lan.Run(TimeSpan.FromSeconds(5));
        var full = ServiceResponse("other", "other.local", 4000, "10.0.0.99", 120, ("node_id", "other-node"));
        var since = lan.Clock.GetUtcNow();

        lan.Inject(full with { Answers = [full.Answers[0]] }); // PTR only
        lan.RunUntil(() => lan.From(A).Any(d => d.At >= since && d.Message.Questions.Any(q => q.Type == DnsRecordType.Srv)), TimeSpan.FromMilliseconds(200), "SRV/TXT query");
        var resolve = lan.From(A).First(d => d.At >= since && d.Message.Questions.Any(q => q.Type == DnsRecordType.Srv)).Message;
        Assert.Equal([DnsRecordType.Srv, DnsRecordType.Txt], resolve.Questions.Select(q => q.Type));

        lan.Inject(full with { Answers = [full.Answers[1], full.Answers[2]] }); // SRV + TXT, no address
        lan.RunUntil(() => lan.From(A).Any(d => d.At >= since && d.Message.Questions.Any(q => q.Type == DnsRecordType.A)), TimeSpan.FromSeconds(2), "A query for the SRV target");
        Assert.Contains(
            lan.From(A).First(d => d.At >= since && d.Message.Questions.Any(q => q.Type == DnsRecordType.A)).Message.Questions,
            q => q == new DnsQuestion(DnsName.Parse("other.local"), DnsRecordType.A));
        Assert.Empty(events);

        lan.Inject(full with { Answers = [full.Answers[3]] });
        lan.Run(TimeSpan.FromMilliseconds(10));
        Assert.Equal("other-node", Assert.Single(events).Peer.NodeId);
    }

    [Fact]
    public async Task NoTxtNodeId_NodeIdIsTheInstanceName()
    {
        await using var lan = new MdnsTestLan();
        var events = new List<DiscoveryEvent>();
        await lan.StartNodeAsync(A, "node-a", 1111, events);

        lan.Inject(ServiceResponse("avahi svc", "vm.local", 4242, "10.0.0.99", 120, ("v", "1")));
        lan.Run(TimeSpan.FromMilliseconds(10));

        var peer = Assert.Single(events).Peer;
        Assert.Equal("avahi svc", peer.NodeId);
        Assert.Equal("1", peer.Metadata["v"]);
    }

    [Fact]
    public async Task Testdata_Response_IsResolvedLikeAvahiDid()
    {
        await using var lan = new MdnsTestLan();
        var events = new List<DiscoveryEvent>();
        await lan.StartNodeAsync(A, "self", 1111, events);

        lan.Network.Inject(MdnsTestData.Response, MdnsTestLan.Outsider);
        lan.Run(TimeSpan.FromMilliseconds(10));

        // avahi-browse printed: node-a;...;node-a.local;127.0.0.1;4242;"v=1" "id=a1b2"
        var peer = Assert.Single(events).Peer;
        Assert.Equal("node-a", peer.NodeId);
        Assert.Equal(["127.0.0.1:4242"], peer.Addresses.Select(x => x.ToString()));
        Assert.Equal(("1", "a1b2"), (peer.Metadata["v"], peer.Metadata["id"]));
    }

    [Fact]
    public async Task OwnInstanceAndOwnNodeId_AreNeverReported()
    {
        await using var lan = new MdnsTestLan();
        var events = new List<DiscoveryEvent>();
        var a = await lan.StartNodeAsync(A, "node-a", 1111, events);

        lan.Run(TimeSpan.FromSeconds(5)); // A hears its own announcements (multicast loop)
        lan.Inject(ServiceResponse("alias", "alias.local", 1, "10.0.0.99", 120, ("node_id", "node-a")));
        lan.Run(TimeSpan.FromSeconds(1));

        Assert.Empty(events);
        Assert.Empty(a.Peers);
    }

    [Fact]
    public async Task ResponseFromAnotherPort_IsIgnored()
    {
        await using var lan = new MdnsTestLan();
        var events = new List<DiscoveryEvent>();
        await lan.StartNodeAsync(A, "node-a", 1111, events);

        lan.Inject(ServiceResponse("other", "other.local", 4000, "10.0.0.99"), new IPEndPoint(IPAddress.Parse("10.0.0.99"), 40000));
        lan.Run(TimeSpan.FromSeconds(1));

        Assert.Empty(events);
    }

    [Fact]
    public async Task MalformedPackets_AreIgnoredAndValidOnesStillWork()
    {
        await using var lan = new MdnsTestLan();
        var events = new List<DiscoveryEvent>();
        await lan.StartNodeAsync(A, "node-a", 1111, events);
        var random = new Random(7);

        foreach (var row in DnsMessageMalformedTests.Corpus())
        {
            lan.Network.Inject((byte[])row[1], MdnsTestLan.Outsider);
        }

        for (var i = 0; i < 200; i++)
        {
            var junk = new byte[random.Next(0, 300)];
            random.NextBytes(junk);
            lan.Network.Inject(junk, MdnsTestLan.Outsider);
        }

        lan.Inject(ServiceResponse("other", "other.local", 4000, "10.0.0.99", 120, ("node_id", "other")));
        lan.Run(TimeSpan.FromMilliseconds(10));

        Assert.Equal("other", Assert.Single(events).Peer.NodeId);
    }

    [Fact]
    public async Task RecordFlood_IsBoundedByMaxCachedRecords()
    {
        await using var lan = new MdnsTestLan();
        var a = await lan.StartNodeAsync(A, "node-a", 1111, options: new MdnsOptions { MaxCachedRecords = 16 });
        var flood = new DnsMessage
        {
            Flags = DnsMessage.ResponseFlags,
            Answers = [.. Enumerable.Range(0, 200).Select(i => new DnsResourceRecord(Service, new PtrRecordData(InstanceOf("x" + i)), 4500))],
        };

        lan.Inject(flood);
        lan.Run(TimeSpan.FromMilliseconds(10));

        Assert.Equal(16, a.CachedRecordCount);
    }

    [Fact]
    public async Task HandlerThatThrows_DoesNotStopOtherHandlersOrDiscovery()
    {
        await using var lan = new MdnsTestLan();
        var events = new List<DiscoveryEvent>();
        var a = await lan.StartNodeAsync(A, "node-a", 1111);
        a.Changed += _ => throw new InvalidOperationException("handler bug");
        a.Changed += events.Add;
        await lan.StartNodeAsync(B, "node-b", 2222);

        lan.Run(TimeSpan.FromSeconds(5));

        Assert.Equal("node-b", Assert.Single(events).Peer.NodeId);
    }

    [Fact]
    public async Task DisposeAsync_NoEventsAfterwards()
    {
        await using var lan = new MdnsTestLan();
        var events = new List<DiscoveryEvent>();
        var a = await lan.StartNodeAsync(A, "node-a", 1111, events);

        await a.DisposeAsync();
        lan.Inject(ServiceResponse("other", "other.local", 4000, "10.0.0.99", 120, ("node_id", "other")));
        lan.Run(TimeSpan.FromSeconds(1));

        Assert.Empty(events);
    }
}
