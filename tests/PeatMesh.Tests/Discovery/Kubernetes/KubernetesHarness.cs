using System.Collections;
using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using PeatMesh.Discovery;
using PeatMesh.Discovery.Kubernetes;
using PeatMesh.Security;
using PeatMesh.Testing;

namespace PeatMesh.Tests.Discovery.Kubernetes;

/// <summary>
/// One Kubernetes discovery under test against a <see cref="FakeKubernetesApi"/>: temp token and CA files,
/// options built with <see cref="KubernetesDiscoveryOptions.FromEnvironment(IDictionary, string)"/> from the
/// <c>PEAT_K8S_*</c> overrides (as the node does), a manual clock for backoff, and a record of every event.
/// </summary>
internal sealed class KubernetesHarness : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    private readonly ConcurrentQueue<DiscoveryEvent> _events = new();

    private KubernetesHarness(string directory, TestCertificates certificates, FakeKubernetesApi api, KubernetesDiscoveryOptions options)
    {
        Directory = directory;
        Certificates = certificates;
        Api = api;
        Options = options;
    }

    public string Directory { get; }

    public string TokenPath => Path.Combine(Directory, "token");

    public string CaPath => Path.Combine(Directory, "ca.crt");

    public TestCertificates Certificates { get; }

    public FakeKubernetesApi Api { get; }

    public X509Certificate2 ServerCertificate { get; private init; } = null!;

    public KubernetesDiscoveryOptions Options { get; }

    public ManualTimeProvider Clock { get; } = new();

    public CapturingLogger Log { get; } = new();

    public KubernetesDiscovery Discovery { get; private set; } = null!;

    public IReadOnlyList<DiscoveryEvent> Events => [.. _events];

    /// <summary>
    /// Starts a fake API server serving <paramref name="listJson"/> and (unless <paramref name="start"/> is false)
    /// a discovery pointed at it as node <paramref name="selfNodeId"/>. The server certificate is issued by the
    /// harness CA (the one in ca.crt) unless <paramref name="serverCertificate"/> makes another.
    /// </summary>
    public static async Task<KubernetesHarness> StartAsync(string listJson, Action<KubernetesDiscoveryOptions>? configure = null,
        string token = "token-1", Func<TestCertificates, X509Certificate2>? serverCertificate = null, string selfNodeId = "self-pod", bool start = true)
    {
        var directory = Path.Combine(Path.GetTempPath(), "peatmesh-k8s-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var certificates = new TestCertificates("peat-test-cluster-ca");
        // Kestrel uses the certificate for every handshake: it lives as long as the harness.
        var server = serverCertificate?.Invoke(certificates) ?? certificates.IssueLoopbackServer();
        var api = await FakeKubernetesApi.StartAsync(server, token);
        api.SetList(listJson);
        await File.WriteAllTextAsync(Path.Combine(directory, "token"), token + "\n");
        await File.WriteAllTextAsync(Path.Combine(directory, "ca.crt"), certificates.CaPem);
        var environment = new Hashtable
        {
            [KubernetesDiscoveryOptions.ApiUrlVariable] = api.Url.ToString(),
            [KubernetesDiscoveryOptions.TokenPathVariable] = Path.Combine(directory, "token"),
            [KubernetesDiscoveryOptions.CaPathVariable] = Path.Combine(directory, "ca.crt"),
            [KubernetesDiscoveryOptions.NamespaceVariable] = api.Namespace,
        };
        var options = KubernetesDiscoveryOptions.FromEnvironment(environment, Path.Combine(directory, "no-service-account"));
        options.InitialBackoff = TimeSpan.FromSeconds(1);
        options.MaxBackoff = TimeSpan.FromSeconds(8);
        options.RandomSeed = 42;
        configure?.Invoke(options);
        var harness = new KubernetesHarness(directory, certificates, api, options) { ServerCertificate = server };
        if (start)
        {
            await harness.StartDiscoveryAsync(selfNodeId);
        }

        return harness;
    }

    public async Task StartDiscoveryAsync(string selfNodeId = "self-pod")
    {
        Discovery = new KubernetesDiscovery(Options, Log, Clock);
        Discovery.Changed += _events.Enqueue;
        await Discovery.StartAsync(new LocalAdvertisement(selfNodeId, DeviceId.FromPublicKey(new byte[32]), 11204, "test"));
    }

    /// <summary>Waits for the next WATCH; a timeout names the step and what the discovery was doing.</summary>
    public async Task<FakeWatch> NextWatchAsync(string step)
    {
        try
        {
            return await Api.NextWatchAsync(step);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message} (state {Discovery?.State}, last error: {Discovery?.LastError}, requests: {Api.Requests.Count})", e);
        }
    }

    public Task WriteTokenAsync(string token) => File.WriteAllTextAsync(TokenPath, token + "\n");

    public IReadOnlyDictionary<string, DiscoveredPeer> PeersById() => Discovery.Peers.ToDictionary(p => p.NodeId);

    public Task WaitForPeersAsync(string step, params string[] nodeIds) =>
        Wait.UntilAsync(() => Discovery.Peers.Select(p => p.NodeId).Order(StringComparer.Ordinal).SequenceEqual(nodeIds.Order(StringComparer.Ordinal)),
            Deadline, $"{step}: peers = [{string.Join(",", nodeIds)}]");

    public Task WaitForEventsAsync(int count, string step) =>
        Wait.UntilAsync(() => _events.Count >= count, Deadline, $"{step}: {count} discovery events");

    public Task WaitForStateAsync(KubernetesDiscoveryState state, string step) =>
        Wait.UntilAsync(() => Discovery.State == state, Deadline, $"{step}: state {state}");

    /// <summary>Waits until the loop is backing off (its timer armed), then moves the clock past the longest possible delay.</summary>
    public async Task AdvancePastBackoffAsync(string step)
    {
        await WaitForStateAsync(KubernetesDiscoveryState.BackingOff, step);
        Clock.Advance(Options.MaxBackoff * (1 + Options.BackoffJitter) + TimeSpan.FromMilliseconds(1));
    }

    public async ValueTask DisposeAsync()
    {
        if (Discovery is not null)
        {
            await Discovery.DisposeAsync();
        }

        await Api.DisposeAsync();
        ServerCertificate.Dispose();
        Certificates.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
