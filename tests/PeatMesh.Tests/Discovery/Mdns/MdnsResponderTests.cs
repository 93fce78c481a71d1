using System.Net;
using PeatMesh.Discovery.Mdns;
using static PeatMesh.Tests.Discovery.Mdns.MdnsMessages;

namespace PeatMesh.Tests.Discovery.Mdns;

/// <summary>The advertising side on a fake LAN and clock (RFC 6762 §6-10, RFC 6763 §12).</summary>
public class MdnsResponderTests
{
    private const string A = "10.0.0.1";
    private static readonly DnsName InstanceA = InstanceOf("node-a");
    private static readonly DnsName HostA = DnsName.Parse("node-a.local");

    [Fact]
    public async Task StartAsync_ProbesThreeTimes250MsApart_ThenAnnounces()
    {
        await using var lan = new MdnsTestLan();
        var node = await lan.StartNodeAsync(A, "node-a", 11204);

        lan.Run(TimeSpan.FromSeconds(6));

        var probes = lan.From(A).Where(d => IsProbe(d.Message)).ToList();
        Assert.Equal(3, probes.Count);
        Assert.True(probes[0].At - lan.Start <= TimeSpan.FromMilliseconds(250), "first probe within 0-250 ms");
        Assert.Equal([TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(250)], probes.Zip(probes.Skip(1), (x, y) => y.At - x.At));
        var probe = probes[0].Message;
        Assert.Equal(
            [new DnsQuestion(InstanceA, DnsRecordType.Any, UnicastResponse: true), new DnsQuestion(HostA, DnsRecordType.Any, UnicastResponse: true)],
            probe.Questions);
        Assert.Contains(probe.Authorities, r => r.Data is SrvRecordData { Port: 11204 } srv && srv.Target == HostA && r.Name == InstanceA);
        Assert.Contains(probe.Authorities, r => r.Name == HostA && r.Data is AddressRecordData { Address: var ip } && ip.Equals(IPAddress.Parse(A)));

        var announcements = lan.From(A).Where(d => IsAnnouncement(d.Message, InstanceA)).ToList();
        Assert.Equal(3, announcements.Count);
        Assert.Equal(probes[2].At + MdnsResponder.ProbeInterval, announcements[0].At);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], announcements.Zip(announcements.Skip(1), (x, y) => y.At - x.At));
        Assert.Equal(MdnsResponderState.Announced, node.State);
        Assert.Equal("node-a._peat._udp.local", node.InstanceName);
        Assert.Equal("node-a.local", node.HostName);
    }

    [Fact]
    public async Task Announcement_HasAvahiCompatibleHeaderTtlsAndCacheFlushBits()
    {
        await using var lan = new MdnsTestLan();
        await lan.StartNodeAsync(A, "node-a", 11204);

        lan.Run(TimeSpan.FromSeconds(2));

        var datagram = lan.From(A).First(d => IsAnnouncement(d.Message, InstanceA));
        Assert.True(datagram.IsMulticast);
        Assert.Equal(new byte[] { 0, 0, 0x84, 0, 0, 0 }, datagram.Bytes[..6]); // id 0, QR|AA, QDCOUNT 0
        var m = datagram.Message;
        var ptr = Assert.Single(m.Answers, r => r.Name == Service);
        Assert.Equal((4500u, false, (DnsRecordData)new PtrRecordData(InstanceA)), (ptr.Ttl, ptr.CacheFlush, ptr.Data));
        var srv = Assert.Single(m.Answers, r => r.Type == DnsRecordType.Srv);
        Assert.Equal((120u, true, (DnsRecordData)new SrvRecordData(0, 0, 11204, HostA)), (srv.Ttl, srv.CacheFlush, srv.Data));
        var txt = Assert.Single(m.Answers, r => r.Type == DnsRecordType.Txt);
        Assert.Equal((4500u, true), (txt.Ttl, txt.CacheFlush));
        Assert.Equal(
            ["node_id=node-a", "device_id=" + MdnsTestLan.DeviceOf("node-a"), "proto=1", "version=1.2.3"],
            ((TxtRecordData)txt.Data).Entries.Select(e => e.ToString()));
        var address = Assert.Single(m.Answers, r => r.Type == DnsRecordType.A);
        Assert.Equal((HostA, 120u, true), (address.Name, address.Ttl, address.CacheFlush));
        Assert.Contains(m.Answers, r => r.Name == DnsName.Parse("_services._dns-sd._udp.local") && r.Data.Equals(new PtrRecordData(Service)));
        Assert.Empty(m.Authorities);
    }

    [Fact]
    public async Task Query_PtrBrowse_AnsweredAfterSharedDelayWithSrvTxtAndAddressesAdditional()
    {
        await using var lan = new MdnsTestLan();
        await lan.StartNodeAsync(A, "node-a", 11204);
        lan.Run(TimeSpan.FromSeconds(6));
        var asked = lan.Clock.GetUtcNow();

        lan.Network.Inject(MdnsTestData.BrowseQueryQm, MdnsTestLan.Outsider);
        lan.Run(TimeSpan.FromMilliseconds(300));

        var reply = Assert.Single(lan.From(A), d => d.At >= asked && d.Message.IsResponse);
        Assert.True(reply.IsMulticast);
        Assert.InRange(reply.At - asked, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(120));
        var m = reply.Message;
        Assert.Equal([new DnsResourceRecord(Service, new PtrRecordData(InstanceA), 4500)], m.Answers);
        Assert.Equal([DnsRecordType.Srv, DnsRecordType.Txt, DnsRecordType.A, DnsRecordType.Nsec], m.Additionals.Select(r => r.Type));
        Assert.Equal([DnsRecordType.A], ((NsecRecordData)m.Additionals[3].Data).Types);
    }

    [Fact]
    public async Task Query_WithQuBit_AnsweredByUnicastToTheQuerier()
    {
        await using var lan = new MdnsTestLan();
        await lan.StartNodeAsync(A, "node-a", 11204);
        lan.Run(TimeSpan.FromSeconds(6));
        var asked = lan.Clock.GetUtcNow();

        lan.Network.Inject(MdnsTestData.BrowseQueryQu, MdnsTestLan.Outsider);
        lan.Run(TimeSpan.FromMilliseconds(300));

        var reply = Assert.Single(lan.From(A), d => d.At >= asked && d.Message.IsResponse);
        Assert.Equal(MdnsTestLan.Outsider, reply.To);
        Assert.Equal(InstanceA, ((PtrRecordData)reply.Message.Answers[0].Data).Target);
    }

    [Fact]
    public async Task Query_FromLegacyPort_EchoesIdAndQuestionWithShortTtlsAndNoCacheFlush()
    {
        await using var lan = new MdnsTestLan();
        await lan.StartNodeAsync(A, "node-a", 11204);
        lan.Run(TimeSpan.FromSeconds(6));
        var legacy = new IPEndPoint(IPAddress.Parse("10.0.0.99"), 40000);
        var question = new DnsQuestion(InstanceA, DnsRecordType.Srv);

        lan.Inject(Query(question) with { Id = 0x4242 }, legacy);
        lan.Run(TimeSpan.FromMilliseconds(10));

        var reply = Assert.Single(lan.From(A), d => d.To is not null);
        Assert.Equal(legacy, reply.To);
        var m = reply.Message;
        Assert.Equal((0x4242, true), (m.Id, m.IsResponse));
        Assert.Equal([question], m.Questions);
        Assert.Equal(new SrvRecordData(0, 0, 11204, HostA), Assert.Single(m.Answers).Data);
        Assert.All(m.AllRecords, r => Assert.True(r.Ttl <= 10 && !r.CacheFlush, r.ToString()));
        Assert.Contains(m.Additionals, r => r.Type == DnsRecordType.A);
    }

    [Fact]
    public async Task Query_KnownAnswerWithAtLeastHalfTheTtl_IsSuppressed()
    {
        await using var lan = new MdnsTestLan();
        await lan.StartNodeAsync(A, "node-a", 11204);
        lan.Run(TimeSpan.FromSeconds(6));
        var ptr = new DnsResourceRecord(Service, new PtrRecordData(InstanceA), 2250);
        var asked = lan.Clock.GetUtcNow();

        lan.Inject(Query(new DnsQuestion(Service, DnsRecordType.Ptr)) with { Answers = [ptr] });
        lan.Run(TimeSpan.FromSeconds(2));
        Assert.DoesNotContain(lan.From(A), d => d.At >= asked && d.Message.IsResponse);

        lan.Inject(Query(new DnsQuestion(Service, DnsRecordType.Ptr)) with { Answers = [ptr with { Ttl = 2249 }] });
        lan.Run(TimeSpan.FromMilliseconds(200));
        Assert.Single(lan.From(A), d => d.At >= asked && d.Message.IsResponse);
    }

    [Fact]
    public async Task Query_UniqueRecord_AnsweredAtOnceButNotTwiceWithinOneSecond()
    {
        await using var lan = new MdnsTestLan();
        await lan.StartNodeAsync(A, "node-a", 11204);
        lan.Run(TimeSpan.FromSeconds(6));
        var asked = lan.Clock.GetUtcNow();
        var query = Query(new DnsQuestion(InstanceA, DnsRecordType.Srv));

        lan.Inject(query);
        lan.Run(TimeSpan.FromMilliseconds(500));
        lan.Inject(query);
        lan.Run(TimeSpan.FromMilliseconds(600));
        lan.Inject(query);
        lan.Run(TimeSpan.FromMilliseconds(10));

        var replies = lan.From(A).Where(d => d.At >= asked && d.Message.IsResponse).ToList();
        Assert.Equal([asked, asked + TimeSpan.FromMilliseconds(1100)], replies.Select(r => r.At));
        Assert.All(replies, r => Assert.Equal(DnsRecordType.Srv, Assert.Single(r.Message.Answers).Type));
    }

    [Fact]
    public async Task Query_AaaaForOurHost_IsAnsweredWithNsec()
    {
        await using var lan = new MdnsTestLan();
        await lan.StartNodeAsync(A, "node-a", 11204);
        lan.Run(TimeSpan.FromSeconds(6));
        var asked = lan.Clock.GetUtcNow();

        lan.Inject(Query(new DnsQuestion(HostA, DnsRecordType.Aaaa)));
        lan.Run(TimeSpan.FromMilliseconds(10));

        var answer = Assert.Single(Assert.Single(lan.From(A), d => d.At >= asked).Message.Answers);
        Assert.Equal((HostA, DnsRecordType.Nsec, true), (answer.Name, answer.Type, answer.CacheFlush));
        Assert.Equal(new NsecRecordData(HostA, [DnsRecordType.A]), answer.Data);
    }

    [Fact]
    public async Task Query_WhileProbing_IsNotAnswered()
    {
        await using var lan = new MdnsTestLan();
        var node = await lan.StartNodeAsync(A, "node-a", 11204);

        lan.Inject(Query(new DnsQuestion(InstanceA, DnsRecordType.Srv)));
        lan.Run(TimeSpan.FromMilliseconds(100));

        Assert.Equal(MdnsResponderState.Probing, node.State);
        Assert.DoesNotContain(lan.From(A), d => d.Message.IsResponse);
    }

    [Fact]
    public async Task Probing_ConflictingResponse_RenamesInstanceAndKeepsNodeIdInTxt()
    {
        await using var lan = new MdnsTestLan();
        var node = await lan.StartNodeAsync(A, "node-a", 11204);
        lan.RunUntil(() => lan.From(A).Any(d => IsProbe(d.Message)), TimeSpan.FromSeconds(1), "first probe");

        // Another host already owns node-a._peat._udp.local.
        lan.Inject(ServiceResponse("node-a", "elsewhere.local", 9, "10.0.0.99"));
        lan.Run(TimeSpan.FromSeconds(6));

        var renamed = InstanceOf("node-a (2)");
        Assert.Equal("node-a (2)._peat._udp.local", node.InstanceName);
        Assert.Equal("node-a.local", node.HostName);
        var announcement = lan.From(A).Last(d => IsAnnouncement(d.Message, renamed)).Message;
        var txt = (TxtRecordData)announcement.Answers.Single(r => r.Type == DnsRecordType.Txt).Data;
        Assert.Contains("node_id=node-a", txt.Entries.Select(e => e.ToString()));
        Assert.DoesNotContain(lan.From(A), d => IsAnnouncement(d.Message, InstanceA));
        Assert.Equal(MdnsResponderState.Announced, node.State);
    }

    [Fact]
    public async Task Probing_TwoNodesWithTheSameHostLabel_OneHostIsRenamedAndBothFindEachOther()
    {
        await using var lan = new MdnsTestLan();
        var eventsA = new List<PeatMesh.Discovery.DiscoveryEvent>();
        var eventsB = new List<PeatMesh.Discovery.DiscoveryEvent>();
        var first = await lan.StartNodeAsync(A, "node_a", 1111, eventsA);
        var second = await lan.StartNodeAsync("10.0.0.2", "node.a", 2222, eventsB);

        lan.Run(TimeSpan.FromSeconds(10));

        // Both sanitise to node-a; the simultaneous probe tiebreak (RFC 6762 §8.2) lets one keep it.
        Assert.Equal(["node-a-2.local", "node-a.local"], new[] { first.HostName, second.HostName }.Order());
        Assert.Equal(MdnsResponderState.Announced, first.State);
        Assert.Equal(MdnsResponderState.Announced, second.State);
        Assert.Equal("node.a", Assert.Single(first.Peers).NodeId);
        Assert.Equal("node_a", Assert.Single(second.Peers).NodeId);
        Assert.Equal(["10.0.0.2:2222"], first.Peers.Single().Addresses.Select(a => a.ToString()));
        Assert.Equal(["10.0.0.1:1111"], second.Peers.Single().Addresses.Select(a => a.ToString()));
    }

    [Fact]
    public async Task Probing_HostWithTwoInterfacesOnOneLink_DoesNotConflictWithItself()
    {
        await using var lan = new MdnsTestLan();
        var events = new List<PeatMesh.Discovery.DiscoveryEvent>();
        var node = await lan.StartNodeAsync([A, "10.0.0.5"], "node-a", 11204);
        await lan.StartNodeAsync("10.0.0.2", "node-b", 2222, events);

        lan.Run(TimeSpan.FromSeconds(5));

        // Each interface hears the other's probe: that is not a competitor (no deferral, no rename).
        Assert.Equal((MdnsResponderState.Announced, "node-a._peat._udp.local", "node-a.local"), (node.State, node.InstanceName, node.HostName));
        Assert.Equal(3, lan.From(A).Count(d => IsProbe(d.Message)));
        Assert.Equal(3, lan.From("10.0.0.5").Count(d => IsProbe(d.Message)));

        // Both interfaces publish both addresses, so B's cache-flush handling keeps both instead of flapping.
        var peer = Assert.Single(events).Peer;
        Assert.Equal("node-a", peer.NodeId);
        Assert.Equal([A + ":11204", "10.0.0.5:11204"], peer.Addresses.Select(x => x.ToString()));
        var lastAnnouncement = lan.From("10.0.0.5").Last(d => IsAnnouncement(d.Message, InstanceA)).Message;
        Assert.Equal(2, lastAnnouncement.Answers.Count(r => r.Type == DnsRecordType.A));
    }

    [Fact]
    public async Task Probing_SimultaneousProbeWithLaterData_DefersOneSecond()
    {
        await using var lan = new MdnsTestLan();
        await lan.StartNodeAsync(A, "node-a", 11204);
        lan.RunUntil(() => lan.From(A).Any(d => IsProbe(d.Message)), TimeSpan.FromSeconds(1), "first probe");
        var at = lan.Clock.GetUtcNow();

        // Sorted by type, the first differing record is TXT: ours starts with length 14 ("node_id=node-a"), theirs with 20.
        lan.Inject(Query(new DnsQuestion(InstanceA, DnsRecordType.Any, UnicastResponse: true)) with { Authorities = OtherProposal("node_id=zzzzzzzzzzzz") });
        lan.Run(TimeSpan.FromSeconds(2));

        var laterProbes = lan.From(A).Where(d => d.At > at && IsProbe(d.Message)).Select(d => d.At - at).ToList();
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1.25), TimeSpan.FromSeconds(1.5)], laterProbes);
    }

    [Fact]
    public async Task Probing_SimultaneousProbeWithEarlierData_IsIgnored()
    {
        await using var lan = new MdnsTestLan();
        await lan.StartNodeAsync(A, "node-a", 11204);
        lan.RunUntil(() => lan.From(A).Any(d => IsProbe(d.Message)), TimeSpan.FromSeconds(1), "first probe");
        var at = lan.From(A).First(d => IsProbe(d.Message)).At;

        // Their TXT starts with length 3 ("a=1"), ours with 14: theirs sorts first, so we win and carry on.
        lan.Inject(Query(new DnsQuestion(InstanceA, DnsRecordType.Any, UnicastResponse: true)) with { Authorities = OtherProposal("a=1") });
        lan.Run(TimeSpan.FromSeconds(1));

        var laterProbes = lan.From(A).Where(d => d.At > at && IsProbe(d.Message)).Select(d => d.At - at).ToList();
        Assert.Equal([TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(500)], laterProbes);
        Assert.Contains(lan.From(A), d => IsAnnouncement(d.Message, InstanceA));
    }

    private static DnsResourceRecord[] OtherProposal(string txt) =>
    [
        new(InstanceA, new SrvRecordData(0, 0, 11204, DnsName.Parse("other.local")), 120),
        new(InstanceA, new TxtRecordData([System.Text.Encoding.ASCII.GetBytes(txt)]), 4500),
    ];

    [Fact]
    public void CompareLexicographically_OrdersByClassTypeThenRdataThenLength()
    {
        DnsResourceRecord Srv(ushort port) => new(InstanceA, new SrvRecordData(0, 0, port, HostA), 120);
        var a = new DnsResourceRecord(HostA, new AddressRecordData(IPAddress.Parse("10.0.0.1")), 120);

        Assert.True(MdnsResponder.CompareLexicographically([Srv(1)], [Srv(2)]) < 0);
        Assert.True(MdnsResponder.CompareLexicographically([a], [Srv(1)]) < 0); // type 1 before type 33
        Assert.True(MdnsResponder.CompareLexicographically([Srv(2)], [Srv(2), a]) > 0); // sorted: A first, so 33 vs 1
        Assert.True(MdnsResponder.CompareLexicographically([Srv(2)], [Srv(2), Srv(3)]) < 0); // runs out first
        Assert.Equal(0, MdnsResponder.CompareLexicographically([Srv(2), a], [a, Srv(2)]));
    }

    [Fact]
    public async Task Announced_ConflictingRecord_ProbesAgainAndRenamesWhenTheOtherHostDefends()
    {
        await using var lan = new MdnsTestLan();
        var node = await lan.StartNodeAsync(A, "node-a", 11204);
        lan.Run(TimeSpan.FromSeconds(6));
        var conflicting = ServiceResponse("node-a", "elsewhere.local", 9, "10.0.0.99");

        lan.Inject(conflicting);
        lan.Run(TimeSpan.FromMilliseconds(10));
        Assert.Equal(MdnsResponderState.Probing, node.State);

        // The other host defends its record against our probe.
        lan.RunUntil(() => lan.From(A).Count(d => IsProbe(d.Message)) > 3, TimeSpan.FromSeconds(1), "probe after the conflict");
        lan.Inject(conflicting);
        lan.Run(TimeSpan.FromSeconds(6));

        Assert.Equal("node-a (2)._peat._udp.local", node.InstanceName);
        Assert.Equal(MdnsResponderState.Announced, node.State);
    }

    [Fact]
    public async Task Announced_ConflictNobodyDefends_KeepsTheName()
    {
        await using var lan = new MdnsTestLan();
        var node = await lan.StartNodeAsync(A, "node-a", 11204);
        lan.Run(TimeSpan.FromSeconds(6));

        lan.Inject(ServiceResponse("node-a", "elsewhere.local", 9, "10.0.0.99"));
        lan.Run(TimeSpan.FromSeconds(6));

        Assert.Equal("node-a._peat._udp.local", node.InstanceName);
        Assert.Equal(MdnsResponderState.Announced, node.State);
        Assert.Equal(6, lan.From(A).Count(d => IsProbe(d.Message)));
    }

    [Fact]
    public async Task DisposeAsync_AfterAnnouncing_SendsGoodbyesWithTtlZero()
    {
        await using var lan = new MdnsTestLan();
        var node = await lan.StartNodeAsync(A, "node-a", 11204);
        lan.Run(TimeSpan.FromSeconds(6));

        await node.DisposeAsync();

        var goodbye = lan.From(A).Last().Message;
        Assert.True(goodbye.IsResponse);
        Assert.Equal([DnsRecordType.Ptr, DnsRecordType.Srv, DnsRecordType.Txt, DnsRecordType.A], goodbye.Answers.Select(r => r.Type));
        Assert.All(goodbye.Answers, r => Assert.Equal(0u, r.Ttl));
        Assert.Equal(Service, goodbye.Answers[0].Name);
        Assert.Equal(MdnsResponderState.Stopped, node.State);
        await node.DisposeAsync(); // idempotent
    }

    [Fact]
    public async Task DisposeAsync_WhileProbing_SendsNoGoodbye()
    {
        await using var lan = new MdnsTestLan();
        var node = await lan.StartNodeAsync(A, "node-a", 11204);
        lan.Run(TimeSpan.FromMilliseconds(300));

        await node.DisposeAsync();
        lan.Run(TimeSpan.FromSeconds(5));

        Assert.DoesNotContain(lan.From(A), d => d.Message.IsResponse);
    }
}
