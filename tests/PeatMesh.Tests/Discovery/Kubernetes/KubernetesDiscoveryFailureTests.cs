using System.Net;
using System.Text;
using PeatMesh.Discovery;
using PeatMesh.Discovery.Kubernetes;

namespace PeatMesh.Tests.Discovery.Kubernetes;

/// <summary>Authentication, TLS trust, malformed streams and backoff: the discovery loop never crashes and resumes where it was.</summary>
public sealed class KubernetesDiscoveryFailureTests
{
    private const string StaleToken = "eyJhbGciOiJSUzI1NiJ9.stale-secret-A";
    private const string FreshToken = "eyJhbGciOiJSUzI1NiJ9.fresh-secret-B";

    private static string TestdataList => File.ReadAllText(RepoPaths.TestData("k8s", "list_endpointslices.json"));

    private static string AddedPeer3(string resourceVersion) =>
        SliceJson.Event("ADDED", SliceJson.Slice("peat-x", resourceVersion, [SliceJson.Endpoint("192.0.2.30", "peat-3")]));

    [Fact]
    public async Task Token_Wrong_Gets401AndBacksOff_ThenRotatedTokenFileIsUsed()
    {
        await using var h = await KubernetesHarness.StartAsync(TestdataList, token: FreshToken, start: false);
        await h.WriteTokenAsync(StaleToken);
        await h.StartDiscoveryAsync();

        await h.WaitForStateAsync(KubernetesDiscoveryState.BackingOff, "401 with the stale token");
        Assert.Equal("Bearer " + StaleToken, Assert.Single(h.Api.Requests).Authorization);
        Assert.StartsWith("Unauthorized: HTTP 401", h.Discovery.LastError, StringComparison.Ordinal);
        Assert.Empty(h.Discovery.Peers);

        // The kubelet rotates the projected token; the next attempt reads the file again.
        await h.WriteTokenAsync(FreshToken);
        await h.AdvancePastBackoffAsync("retry after 401");
        await h.NextWatchAsync("watch with the fresh token");
        await h.WaitForPeersAsync("LIST with the fresh token", "peat-0", "peat-1");
        Assert.All(h.Api.Requests.Skip(1), r => Assert.Equal("Bearer " + FreshToken, r.Authorization));

        Assert.DoesNotContain("secret-A", h.Log.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-B", h.Log.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", h.Discovery.LastError ?? string.Empty, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_RotatedWhileWatching_NextWatchSendsNewToken()
    {
        await using var h = await KubernetesHarness.StartAsync(TestdataList, token: StaleToken);
        var first = await h.NextWatchAsync("first watch");
        Assert.Equal("Bearer " + StaleToken, first.Request.Authorization);

        await h.WriteTokenAsync(FreshToken);
        h.Api.ExpectedToken = FreshToken;
        first.Send(SliceJson.Bookmark("1001"));
        first.End();

        var second = await h.NextWatchAsync("watch after rotation");
        Assert.Equal("Bearer " + FreshToken, second.Request.Authorization);
        Assert.Equal("1001", second.Request.Get("resourceVersion"));
        Assert.Equal(3, h.Api.Requests.Count);
        Assert.DoesNotContain("secret-", h.Log.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tls_ServerCertificateFromAnotherCa_IsRejectedBeforeAnyRequest()
    {
        await using var h = await KubernetesHarness.StartAsync(TestdataList, serverCertificate: _ =>
        {
            using var rogue = new TestCertificates("rogue-ca");
            return rogue.IssueLoopbackServer();
        });

        await h.WaitForStateAsync(KubernetesDiscoveryState.BackingOff, "TLS handshake with an untrusted server");
        Assert.StartsWith("Tls:", h.Discovery.LastError, StringComparison.Ordinal);
        Assert.Empty(h.Api.Requests);
        Assert.Empty(h.Discovery.Peers);
    }

    [Fact]
    public async Task Tls_CertificateFromTrustedCaForAnotherHost_IsRejected()
    {
        await using var h = await KubernetesHarness.StartAsync(TestdataList,
            serverCertificate: ca => ca.IssueServer(["kubernetes.example.invalid"], [IPAddress.Parse("192.0.2.99")]));

        await h.WaitForStateAsync(KubernetesDiscoveryState.BackingOff, "TLS handshake with a name mismatch");
        Assert.StartsWith("Tls:", h.Discovery.LastError, StringComparison.Ordinal);
        Assert.Empty(h.Api.Requests);
    }

    [Fact]
    public async Task Tls_CaFileMissing_BacksOffUntilItAppears()
    {
        await using var h = await KubernetesHarness.StartAsync(TestdataList, start: false);
        var pem = await File.ReadAllTextAsync(h.CaPath);
        File.Delete(h.CaPath);
        await h.StartDiscoveryAsync();

        await h.WaitForStateAsync(KubernetesDiscoveryState.BackingOff, "no CA file");
        Assert.StartsWith("Trust:", h.Discovery.LastError, StringComparison.Ordinal);
        Assert.Empty(h.Api.Requests);

        await File.WriteAllTextAsync(h.CaPath, pem);
        await h.AdvancePastBackoffAsync("retry once the CA exists");
        await h.WaitForPeersAsync("LIST after the CA appeared", "peat-0", "peat-1");
    }

    public static TheoryData<string> GarbageLines => new()
    {
        "this is not json",
        "[1,2,3]",
        "{\"type\":\"ADDED\"}",
        "{\"type\":\"SURPRISE\",\"object\":{}}",
        "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":42}}}",
        "{\"type\":\"MODIFIED\",\"object\":{\"metadata\":{}}}",
        "{\"type\":\"BOOKMARK\",\"object\":{\"metadata\":{}}}",
        "{\"type\":\"ADDED\",\"object\":{\"endpoints\":" + new string('[', 200) + new string(']', 200) + "}}",
        "<invalid-utf8>",
    };

    [Theory]
    [MemberData(nameof(GarbageLines))]
    public async Task Watch_GarbageLine_BacksOffThenResumesFromLastResourceVersion(string garbage)
    {
        await using var h = await KubernetesHarness.StartAsync(TestdataList);
        var first = await h.NextWatchAsync("first watch");
        first.Send(AddedPeer3("1001"));
        await h.WaitForPeersAsync("valid event before the garbage", "peat-0", "peat-1", "peat-3");
        if (garbage == "<invalid-utf8>")
        {
            first.SendRaw([(byte)'{', 0xFF, 0xFE, (byte)'}', (byte)'\n']);
        }
        else
        {
            first.Send(garbage);
        }

        await h.WaitForStateAsync(KubernetesDiscoveryState.BackingOff, "garbage line");
        Assert.StartsWith("Protocol: malformed watch event", h.Discovery.LastError, StringComparison.Ordinal);
        Assert.Single(h.Api.Watches);

        await h.AdvancePastBackoffAsync("retry after garbage");
        var second = await h.NextWatchAsync("watch resumed after garbage");
        Assert.Equal("1001", second.Request.Get("resourceVersion"));
        Assert.Single(h.Api.Lists);
        Assert.Equal(["peat-0", "peat-1", "peat-3"], h.Discovery.Peers.Select(p => p.NodeId));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Watch_LineLongerThanMaxEventBytes_AbandonsStreamBacksOffAndResumes(bool validJsonWithNewline)
    {
        await using var h = await KubernetesHarness.StartAsync(TestdataList, o => o.MaxEventBytes = 1024);
        var first = await h.NextWatchAsync("first watch");
        if (validJsonWithNewline)
        {
            // A well-formed event that is simply too big.
            first.Send(SliceJson.Event("ADDED", SliceJson.Slice("big", "1001", [SliceJson.Endpoint("192.0.2.30", "peat-3")],
                annotations: new Dictionary<string, string> { ["peat.padding"] = new string('x', 4000) })));
        }
        else
        {
            // A line that never ends: the client must stop reading, not buffer it.
            for (var i = 0; i < 64; i++)
            {
                first.SendRaw(Encoding.ASCII.GetBytes(new string('y', 16 * 1024)));
            }
        }

        await h.WaitForStateAsync(KubernetesDiscoveryState.BackingOff, "oversized line");
        Assert.Contains("longer than MaxEventBytes (1024 bytes)", h.Discovery.LastError, StringComparison.Ordinal);
        await Wait.ForAsync(first.Closed, KubernetesHarness.Deadline, "client hung up on the oversized stream");

        await h.AdvancePastBackoffAsync("retry after the oversized line");
        var second = await h.NextWatchAsync("watch resumed after the oversized line");
        Assert.Equal("1000", second.Request.Get("resourceVersion"));
        Assert.Single(h.Api.Lists);
        Assert.DoesNotContain(h.Discovery.Peers, p => p.NodeId == "peat-3");
    }

    [Fact]
    public async Task Watch_StreamCutMidEvent_BacksOffAndResumes()
    {
        await using var h = await KubernetesHarness.StartAsync(TestdataList);
        var first = await h.NextWatchAsync("first watch");
        first.SendRaw(Encoding.UTF8.GetBytes("{\"type\":\"ADDED\",\"object\":{"));
        first.End();

        await h.WaitForStateAsync(KubernetesDiscoveryState.BackingOff, "cut stream");
        await h.AdvancePastBackoffAsync("retry after the cut");
        var second = await h.NextWatchAsync("watch resumed after the cut");
        Assert.Equal("1000", second.Request.Get("resourceVersion"));
    }

    [Fact]
    public async Task Watch_ErrorEventOtherThan410_BacksOffAndResumesWithoutRelist()
    {
        await using var h = await KubernetesHarness.StartAsync(TestdataList);
        var first = await h.NextWatchAsync("first watch");
        first.Send(AddedPeer3("1001"));
        first.Send(SliceJson.Error(500, "InternalError", "etcdserver: request timed out"));

        await h.WaitForStateAsync(KubernetesDiscoveryState.BackingOff, "ERROR 500 event");
        Assert.Contains("etcdserver: request timed out", h.Discovery.LastError, StringComparison.Ordinal);
        await h.AdvancePastBackoffAsync("retry after ERROR 500");
        var second = await h.NextWatchAsync("watch resumed after ERROR 500");
        Assert.Equal("1001", second.Request.Get("resourceVersion"));
        Assert.Single(h.Api.Lists);
    }

    [Fact]
    public async Task Watch_Http500_BacksOffAndResumes()
    {
        await using var h = await KubernetesHarness.StartAsync(TestdataList);
        var first = await h.NextWatchAsync("first watch");
        h.Api.FailNextWatch(500);
        first.Send(SliceJson.Bookmark("1040"));
        first.End();

        await h.WaitForStateAsync(KubernetesDiscoveryState.BackingOff, "HTTP 500 on watch");
        Assert.StartsWith("HttpStatus: HTTP 500", h.Discovery.LastError, StringComparison.Ordinal);
        await h.AdvancePastBackoffAsync("retry after HTTP 500");
        var third = await h.NextWatchAsync("watch after HTTP 500");
        Assert.Equal("1040", third.Request.Get("resourceVersion"));
        Assert.Single(h.Api.Lists);
    }

    [Fact]
    public async Task Watch_ServerEndsWatchesWithoutEvents_SecondEmptyWatchBacksOff()
    {
        await using var h = await KubernetesHarness.StartAsync(TestdataList);
        (await h.NextWatchAsync("first watch")).End();
        (await h.NextWatchAsync("immediate re-watch after one empty watch")).End();

        await h.WaitForStateAsync(KubernetesDiscoveryState.BackingOff, "second empty watch");
        Assert.Equal(2, h.Api.Watches.Count);
        await h.AdvancePastBackoffAsync("retry after empty watches");
        var third = await h.NextWatchAsync("watch after backoff");
        Assert.Equal("1000", third.Request.Get("resourceVersion"));
    }

    [Fact]
    public async Task List_ServerErrors_BackOffExponentiallyUpToMax()
    {
        await using var h = await KubernetesHarness.StartAsync(TestdataList, o =>
        {
            o.BackoffJitter = 0;
            o.InitialBackoff = TimeSpan.FromSeconds(1);
            o.MaxBackoff = TimeSpan.FromSeconds(4);
        }, start: false);
        for (var i = 0; i < 4; i++)
        {
            h.Api.FailNextList(500);
        }

        await h.StartDiscoveryAsync();

        // Expected delays with jitter 0: 1 s, 2 s, 4 s, then capped at 4 s.
        TimeSpan[] delays = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(4)];
        for (var attempt = 1; attempt <= delays.Length; attempt++)
        {
            var expected = attempt;
            await Wait.UntilAsync(() => h.Api.Lists.Count == expected && h.Discovery.State == KubernetesDiscoveryState.BackingOff,
                KubernetesHarness.Deadline, $"LIST attempt {attempt} failed with 500");
            h.Clock.Advance(delays[attempt - 1] - TimeSpan.FromMilliseconds(1));
            Assert.Equal(attempt, h.Api.Lists.Count);
            h.Clock.Advance(TimeSpan.FromMilliseconds(1));
        }

        await h.WaitForPeersAsync("LIST succeeds on attempt 5", "peat-0", "peat-1");
        var retries = h.Log.Entries.Where(e => e.EventId.Id == 5056).Select(e => e.Message).ToList();
        Assert.Equal(4, retries.Count);
        Assert.Contains("retry 1 in 1 s", retries[0], StringComparison.Ordinal);
        Assert.Contains("retry 3 in 4 s", retries[2], StringComparison.Ordinal);
        Assert.Contains("retry 4 in 4 s", retries[3], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Changed_HandlerThrows_OtherHandlersStillRunAndLoopContinues()
    {
        await using var h = await KubernetesHarness.StartAsync(TestdataList, start: false);
        await h.StartDiscoveryAsync();
        var first = await h.NextWatchAsync("first watch");
        var seen = new List<string>();
        h.Discovery.Changed += _ => throw new InvalidOperationException("handler bug");
        h.Discovery.Changed += e => { lock (seen) { seen.Add(e.Peer.NodeId); } };

        first.Send(AddedPeer3("1001"));
        await Wait.UntilAsync(() => { lock (seen) { return seen.Contains("peat-3"); } }, KubernetesHarness.Deadline, "second handler saw peat-3");
        Assert.Contains(h.Log.Entries, e => e.EventId.Id == 5063 && e.Exception is InvalidOperationException);
        Assert.Equal(KubernetesDiscoveryState.Watching, h.Discovery.State);
    }

    [Fact]
    public async Task Dispose_WhileWatching_ClosesWatchAndRaisesNothingMore()
    {
        await using var h = await KubernetesHarness.StartAsync(TestdataList);
        var watch = await h.NextWatchAsync("first watch");
        await h.WaitForEventsAsync(2, "initial peers");

        await h.Discovery.DisposeAsync();
        await Wait.ForAsync(watch.Closed, KubernetesHarness.Deadline, "server saw the watch closed");
        Assert.Equal(KubernetesDiscoveryState.Stopped, h.Discovery.State);
        watch.Send(AddedPeer3("1001"));
        Assert.Equal(2, h.Events.Count);

        await h.Discovery.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() =>
            h.Discovery.StartAsync(new LocalAdvertisement("x", PeatMesh.Security.DeviceId.FromPublicKey(new byte[32]), 1, "t")));
    }

    [Fact]
    public async Task StartAsync_Twice_Throws()
    {
        await using var h = await KubernetesHarness.StartAsync(TestdataList);
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            h.Discovery.StartAsync(new LocalAdvertisement("x", PeatMesh.Security.DeviceId.FromPublicKey(new byte[32]), 1, "t")));
    }

    [Fact]
    public async Task PlainHttpApiUrl_TokenIsNeverSent()
    {
        // kubectl proxy style: http, no token expected. A token file exists but must not travel in clear text.
        await using var api = await FakeKubernetesApi.StartAsync(serverCertificate: null, expectedToken: null);
        api.SetList(TestdataList);
        var directory = Path.Combine(Path.GetTempPath(), "peatmesh-k8s-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory, "token"), FreshToken);
            var options = KubernetesDiscoveryOptions.FromEnvironment(new System.Collections.Hashtable
            {
                ["PEAT_K8S_API_URL"] = api.Url.ToString(),
                ["PEAT_K8S_TOKEN_PATH"] = Path.Combine(directory, "token"),
                ["PEAT_K8S_NAMESPACE"] = api.Namespace,
            }, directory);
            var log = new CapturingLogger();
            await using var discovery = new KubernetesDiscovery(options, log, new PeatMesh.Testing.ManualTimeProvider());
            await discovery.StartAsync(new LocalAdvertisement("me", PeatMesh.Security.DeviceId.FromPublicKey(new byte[32]), 1, "t"));

            await api.NextWatchAsync("watch over plain http");
            Assert.Equal(2, discovery.Peers.Count);
            Assert.All(api.Requests, r => Assert.Equal(string.Empty, r.Authorization));
            Assert.Contains(log.Entries, e => e.EventId.Id == 5061);
            Assert.DoesNotContain("secret-B", log.AllText, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
