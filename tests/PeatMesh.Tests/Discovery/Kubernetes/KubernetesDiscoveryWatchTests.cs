using PeatMesh.Discovery;
using PeatMesh.Discovery.Kubernetes;

namespace PeatMesh.Tests.Discovery.Kubernetes;

/// <summary>LIST then WATCH against a real HTTPS fake API: events, bookmarks, resume and 410 relists (protocols.md §5).</summary>
public sealed class KubernetesDiscoveryWatchTests
{
    private static string TestdataList => File.ReadAllText(RepoPaths.TestData("k8s", "list_endpointslices.json"));

    private static string[] TestdataWatchLines => File.ReadAllLines(RepoPaths.TestData("k8s", "watch_stream_example.ndjson"));

    private static string Describe(DiscoveryEvent e) => $"{e.Kind} {e.Peer.NodeId} {string.Join(",", e.Peer.Addresses)}";

    [Fact]
    public async Task Start_ListThenWatch_WatchesFromListResourceVersionWithTokenAndSelector()
    {
        await using var h = await KubernetesHarness.StartAsync(TestdataList);
        var watch = await h.NextWatchAsync("first watch after the LIST");

        var list = Assert.Single(h.Api.Lists);
        Assert.Equal("/apis/discovery.k8s.io/v1/namespaces/peat-test/endpointslices", list.Path);
        Assert.Equal("Bearer token-1", list.Authorization);
        Assert.Equal("app=peat-mesh", list.Get("labelSelector"));
        Assert.Equal("500", list.Get("limit"));
        Assert.Null(list.Get("continue"));

        // The list's metadata.resourceVersion in testdata is "1000".
        Assert.Equal(h.Api.CollectionPath, watch.Request.Path);
        Assert.Equal("Bearer token-1", watch.Request.Authorization);
        Assert.Equal("true", watch.Request.Get("watch"));
        Assert.Equal("true", watch.Request.Get("allowWatchBookmarks"));
        Assert.Equal("1000", watch.Request.Get("resourceVersion"));
        Assert.Equal("300", watch.Request.Get("timeoutSeconds"));
        Assert.Equal("app=peat-mesh", watch.Request.Get("labelSelector"));
        Assert.Equal(KubernetesDiscoveryState.Watching, h.Discovery.State);
        Assert.Equal("1000", h.Discovery.ResourceVersion);

        // Testdata: slice peat-abcd1 with pods peat-0 (192.0.2.10) and peat-1 (192.0.2.11), port "mesh" 4242.
        var peers = h.PeersById();
        Assert.Equal(["peat-0", "peat-1"], peers.Keys.Order());
        Assert.Equal(["192.0.2.10:4242"], peers["peat-0"].Addresses.Select(a => a.ToString()));
        Assert.Equal(["192.0.2.11:4242"], peers["peat-1"].Addresses.Select(a => a.ToString()));
        Assert.Equal("kubernetes", peers["peat-0"].Source);
        Assert.Equal("zone-a", peers["peat-0"].Metadata["zone"]);
        Assert.Equal("node-1", peers["peat-1"].Metadata["node_name"]);
        Assert.Equal(["Found peat-0 192.0.2.10:4242", "Found peat-1 192.0.2.11:4242"], h.Events.Select(Describe));
        Assert.Equal("kubernetes", h.Discovery.Name);
    }

    [Fact]
    public async Task Watch_TestdataAddedModifiedBookmarkDeleted_RaisesFoundUpdatedLost()
    {
        await using var h = await KubernetesHarness.StartAsync(TestdataList);
        var watch = await h.NextWatchAsync("first watch");
        var lines = TestdataWatchLines;
        await h.WaitForEventsAsync(2, "initial LIST");

        // ADDED peat-abcd2: pod peat-0 also at 192.0.2.12 -> slices merge, peat-0 gains an address.
        watch.Send(lines[0]);
        await h.WaitForEventsAsync(3, "ADDED peat-abcd2");
        Assert.Equal("Updated peat-0 192.0.2.10:4242,192.0.2.12:4242", Describe(h.Events[2]));
        Assert.Equal("1001", h.Discovery.ResourceVersion);

        // MODIFIED peat-abcd1: both endpoints ready=false terminating=true -> peat-1 lost, peat-0 keeps only abcd2's address.
        watch.Send(lines[1]);
        await h.WaitForEventsAsync(5, "MODIFIED peat-abcd1 (terminating)");
        Assert.Equal(["Updated peat-0 192.0.2.12:4242", "Lost peat-1 192.0.2.11:4242"], h.Events.Skip(3).Select(Describe));

        // BOOKMARK: only the resourceVersion moves.
        watch.Send(lines[2]);
        await Wait.UntilAsync(() => h.Discovery.ResourceVersion == "1050", KubernetesHarness.Deadline, "BOOKMARK 1050 recorded");
        Assert.Equal(5, h.Events.Count);

        // DELETED peat-abcd2: the last endpoint of peat-0 is gone.
        watch.Send(lines[3]);
        await h.WaitForEventsAsync(6, "DELETED peat-abcd2");
        Assert.Equal("Lost peat-0 192.0.2.12:4242", Describe(h.Events[5]));
        Assert.Empty(h.Discovery.Peers);
        Assert.Equal("1060", h.Discovery.ResourceVersion);
        Assert.Single(h.Api.Lists);
    }

    [Fact]
    public async Task Watch_EndsAfterBookmark_ResumesFromBookmarkResourceVersion()
    {
        await using var h = await KubernetesHarness.StartAsync(TestdataList);
        var first = await h.NextWatchAsync("first watch");
        first.Send(SliceJson.Bookmark("1050"));
        await Wait.UntilAsync(() => h.Discovery.ResourceVersion == "1050", KubernetesHarness.Deadline, "bookmark applied");
        first.End();

        var second = await h.NextWatchAsync("watch resumed after the server ended the first");
        Assert.Equal("1050", second.Request.Get("resourceVersion"));
        Assert.Equal("true", second.Request.Get("allowWatchBookmarks"));

        // An object event's resourceVersion is kept the same way.
        second.Send(SliceJson.Event("ADDED", SliceJson.Slice("peat-x", "1077", [SliceJson.Endpoint("192.0.2.30", "peat-3")])));
        await h.WaitForPeersAsync("ADDED peat-x", "peat-0", "peat-1", "peat-3");
        second.End();
        var third = await h.NextWatchAsync("watch resumed after the second");
        Assert.Equal("1077", third.Request.Get("resourceVersion"));
        Assert.Single(h.Api.Lists);
    }

    [Fact]
    public async Task Watch_Http410_RelistsAndWatchesFromNewListVersion()
    {
        await using var h = await KubernetesHarness.StartAsync(TestdataList);
        var first = await h.NextWatchAsync("first watch");
        await h.WaitForPeersAsync("initial LIST", "peat-0", "peat-1");
        first.Send(SliceJson.Bookmark("1500"));
        await Wait.UntilAsync(() => h.Discovery.ResourceVersion == "1500", KubernetesHarness.Deadline, "bookmark applied");

        // The next watch from 1500 is refused with 410 Gone; the fresh list no longer has peat-0.
        h.Api.FailNextWatch(410);
        h.Api.SetList(SliceJson.List("2000", null,
            SliceJson.Slice("peat-abcd1", "1990", [SliceJson.Endpoint("192.0.2.11", "peat-1", nodeName: "node-1")], [SliceJson.Port("mesh", 4242, "UDP")])));
        first.End();

        var afterRelist = await h.NextWatchAsync("watch after the relist");
        Assert.Equal("2000", afterRelist.Request.Get("resourceVersion"));
        Assert.Equal(2, h.Api.Lists.Count);
        Assert.Equal("1500", h.Api.Watches[1].Get("resourceVersion"));
        await h.WaitForPeersAsync("relist applied", "peat-1");

        // Only the real difference is reported: peat-1 is unchanged, so no Lost/Found churn for it.
        Assert.Equal(["Found peat-0 192.0.2.10:4242", "Found peat-1 192.0.2.11:4242", "Lost peat-0 192.0.2.10:4242"], h.Events.Select(Describe));
    }

    [Fact]
    public async Task Watch_ErrorEvent410FromTestdata_RelistsAndWatchesFromNewListVersion()
    {
        await using var h = await KubernetesHarness.StartAsync(TestdataList);
        var first = await h.NextWatchAsync("first watch");
        await h.WaitForPeersAsync("initial LIST", "peat-0", "peat-1");
        h.Api.SetList(SliceJson.List("2000", null,
            SliceJson.Slice("peat-abcd9", "1999", [SliceJson.Endpoint("192.0.2.20", "peat-2")])));

        // Last line of testdata watch_stream_example.ndjson: {"type":"ERROR","object":{"kind":"Status",...,"code":410}}.
        first.Send(TestdataWatchLines.Single(l => l.Contains("\"type\":\"ERROR\"", StringComparison.Ordinal)));

        var afterRelist = await h.NextWatchAsync("watch after the ERROR 410 relist");
        Assert.Equal("2000", afterRelist.Request.Get("resourceVersion"));
        Assert.Equal(2, h.Api.Lists.Count);
        await h.WaitForPeersAsync("relist replaced the cache", "peat-2");
        Assert.Equal(KubernetesDiscoveryState.Watching, h.Discovery.State);
    }

    [Fact]
    public async Task List_WithContinueToken_FollowsPagesAndWatchesFromListVersion()
    {
        await using var h = await KubernetesHarness.StartAsync(string.Empty, o => o.ListPageSize = 1, start: false);
        h.Api.SetPages(new Dictionary<string, string>
        {
            [string.Empty] = SliceJson.List("3000", "page-2-token",
                SliceJson.Slice("peat-a", "2990", [SliceJson.Endpoint("192.0.2.40", "peat-a0")])),
            ["page-2-token"] = SliceJson.List("3000", null,
                SliceJson.Slice("peat-b", "2991", [SliceJson.Endpoint("192.0.2.41", "peat-b0")])),
        });
        await h.StartDiscoveryAsync();

        var watch = await h.NextWatchAsync("watch after a two-page LIST");
        Assert.Equal(2, h.Api.Lists.Count);
        Assert.Equal("1", h.Api.Lists[0].Get("limit"));
        Assert.Null(h.Api.Lists[0].Get("continue"));
        Assert.Equal("page-2-token", h.Api.Lists[1].Get("continue"));
        Assert.Equal("3000", watch.Request.Get("resourceVersion"));
        await h.WaitForPeersAsync("both pages applied", "peat-a0", "peat-b0");
    }

    [Fact]
    public async Task List_ContinueTokenExpired_RelistsFromTheStart()
    {
        await using var h = await KubernetesHarness.StartAsync(
            SliceJson.List("3001", null, SliceJson.Slice("peat-a", "2990", [SliceJson.Endpoint("192.0.2.40", "peat-a0")])), start: false);

        // First page once; its continue token is unknown to the server, which answers 410 Expired as for an expired token.
        h.Api.ServeNextListOnce(SliceJson.List("3000", "expired-token", SliceJson.Slice("peat-a", "2990", [SliceJson.Endpoint("192.0.2.40", "peat-a0")])));
        await h.StartDiscoveryAsync();

        // First 410: relist at once. (A second one in a row would back off.)
        var watch = await h.NextWatchAsync("watch after a clean relist");
        Assert.Equal("3001", watch.Request.Get("resourceVersion"));
        Assert.Equal(3, h.Api.Lists.Count);
        Assert.Equal("expired-token", h.Api.Lists[1].Get("continue"));
        Assert.Null(h.Api.Lists[2].Get("continue"));
        await h.WaitForPeersAsync("relist applied", "peat-a0");

        // The half-read list was never applied: one Found, from the complete relist.
        Assert.Equal(["Found peat-a0 192.0.2.40:11204"], h.Events.Select(Describe));
    }
}
