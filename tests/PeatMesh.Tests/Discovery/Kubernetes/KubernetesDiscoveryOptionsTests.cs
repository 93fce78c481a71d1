using System.Collections;
using Microsoft.Extensions.Options;
using PeatMesh.Discovery.Kubernetes;

namespace PeatMesh.Tests.Discovery.Kubernetes;

/// <summary>In-cluster configuration (client-go InClusterConfig rules, protocols.md §5) and option validation.</summary>
public sealed class KubernetesDiscoveryOptionsTests : IDisposable
{
    private readonly string _serviceAccount = Path.Combine(Path.GetTempPath(), "peatmesh-k8s-sa", Guid.NewGuid().ToString("N"));

    public KubernetesDiscoveryOptionsTests() => Directory.CreateDirectory(_serviceAccount);

    public void Dispose() => Directory.Delete(_serviceAccount, recursive: true);

    private KubernetesDiscoveryOptions FromEnv(params (string Name, string Value)[] variables)
    {
        var env = new Hashtable();
        foreach (var (name, value) in variables)
        {
            env[name] = value;
        }

        return KubernetesDiscoveryOptions.FromEnvironment(env, _serviceAccount);
    }

    [Fact]
    public void FromEnvironment_InCluster_BuildsHttpsUrlAndServiceAccountPaths()
    {
        File.WriteAllText(Path.Combine(_serviceAccount, "namespace"), "peat-prod\n");
        var options = FromEnv(("KUBERNETES_SERVICE_HOST", "10.96.0.1"), ("KUBERNETES_SERVICE_PORT", "443"));

        Assert.Equal(new Uri("https://10.96.0.1:443/"), options.ApiUrl);
        Assert.Equal(Path.Combine(_serviceAccount, "token"), options.TokenPath);
        Assert.Equal(Path.Combine(_serviceAccount, "ca.crt"), options.CaPath);
        Assert.Equal("peat-prod", options.Namespace);
        Assert.Equal("app=peat-mesh", options.LabelSelector);
        Assert.Equal("mesh", options.MeshPortName);
    }

    [Fact]
    public void FromEnvironment_IPv6ServiceHost_IsBracketed()
    {
        var options = FromEnv(("KUBERNETES_SERVICE_HOST", "fd00:10:96::1"), ("KUBERNETES_SERVICE_PORT", "6443"));

        Assert.Equal("https", options.ApiUrl!.Scheme);
        Assert.Equal("[fd00:10:96::1]", options.ApiUrl.Host);
        Assert.Equal(6443, options.ApiUrl.Port);
    }

    [Fact]
    public void FromEnvironment_NoNamespaceFile_DefaultsToDefault()
    {
        var options = FromEnv(("KUBERNETES_SERVICE_HOST", "10.96.0.1"), ("KUBERNETES_SERVICE_PORT", "443"));
        Assert.Equal("default", options.Namespace);
    }

    [Fact]
    public void FromEnvironment_PeatOverrides_WinOverInClusterValues()
    {
        File.WriteAllText(Path.Combine(_serviceAccount, "namespace"), "from-file");
        var options = FromEnv(
            ("KUBERNETES_SERVICE_HOST", "10.96.0.1"), ("KUBERNETES_SERVICE_PORT", "443"),
            ("PEAT_K8S_API_URL", "https://127.0.0.1:6443/prefix"),
            ("PEAT_K8S_TOKEN_PATH", "/tmp/t"), ("PEAT_K8S_CA_PATH", "/tmp/ca.pem"), ("PEAT_K8S_NAMESPACE", "from-env"),
            ("PEAT_K8S_LABEL_SELECTOR", "app.kubernetes.io/instance=peat"), ("PEAT_K8S_PORT_NAME", "peat-tcp"));

        Assert.Equal(new Uri("https://127.0.0.1:6443/prefix"), options.ApiUrl);
        Assert.Equal("/tmp/t", options.TokenPath);
        Assert.Equal("/tmp/ca.pem", options.CaPath);
        Assert.Equal("from-env", options.Namespace);
        Assert.Equal("app.kubernetes.io/instance=peat", options.LabelSelector);
        Assert.Equal("peat-tcp", options.MeshPortName);
    }

    [Fact]
    public void FromEnvironment_ApiUrlOverrideAlone_NeedsNoClusterVariables()
    {
        var options = FromEnv(("PEAT_K8S_API_URL", "http://127.0.0.1:8001"));
        Assert.Equal(new Uri("http://127.0.0.1:8001/"), options.ApiUrl);
    }

    [Theory]
    [InlineData(null, null, null, "KUBERNETES_SERVICE_HOST")]
    [InlineData("10.96.0.1", null, null, "KUBERNETES_SERVICE_PORT")]
    [InlineData("10.96.0.1", "0", null, "KUBERNETES_SERVICE_PORT")]
    [InlineData("10.96.0.1", "https", null, "KUBERNETES_SERVICE_PORT")]
    [InlineData(null, null, "ftp://x", "PEAT_K8S_API_URL")]
    [InlineData(null, null, "not a url", "PEAT_K8S_API_URL")]
    public void FromEnvironment_NotInClusterOrMalformed_ThrowsNamingTheVariable(string? host, string? port, string? url, string variable)
    {
        var env = new Hashtable();
        if (host is not null)
        {
            env["KUBERNETES_SERVICE_HOST"] = host;
        }

        if (port is not null)
        {
            env["KUBERNETES_SERVICE_PORT"] = port;
        }

        if (url is not null)
        {
            env["PEAT_K8S_API_URL"] = url;
        }

        var e = Assert.Throws<InvalidOperationException>(() => KubernetesDiscoveryOptions.FromEnvironment(env, _serviceAccount));
        Assert.Contains(variable, e.Message, StringComparison.Ordinal);
        Assert.False(KubernetesDiscoveryOptions.TryFromEnvironment(env, _serviceAccount, out var options, out var error));
        Assert.Null(options);
        Assert.Contains(variable, error, StringComparison.Ordinal);
    }

    [Fact]
    public void FromEnvironment_BadNamespace_IsRejected()
    {
        var e = Assert.Throws<InvalidOperationException>(() =>
            FromEnv(("PEAT_K8S_API_URL", "https://127.0.0.1:6443"), ("PEAT_K8S_NAMESPACE", "../kube-system")));
        Assert.Contains("namespace", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validator_Defaults_WithApiUrl_Pass()
    {
        var result = new KubernetesDiscoveryOptionsValidator().Validate(null, new KubernetesDiscoveryOptions { ApiUrl = new Uri("https://10.96.0.1") });
        Assert.True(result.Succeeded, result.FailureMessage);
    }

    public static TheoryData<string, Action<KubernetesDiscoveryOptions>> InvalidSettings => new()
    {
        { "ApiUrl", o => o.ApiUrl = null },
        { "ApiUrl", o => o.ApiUrl = new Uri("ftp://10.96.0.1") },
        { "ApiUrl", o => o.ApiUrl = new Uri("https://10.96.0.1/?x=1") },
        { "Namespace", o => o.Namespace = "Upper" },
        { "Namespace", o => o.Namespace = new string('a', 64) },
        { "LabelSelector", o => o.LabelSelector = "app=\npeat" },
        { "MeshPortName", o => o.MeshPortName = "" },
        { "FallbackPort", o => o.FallbackPort = 70000 },
        { "WatchTimeout", o => o.WatchTimeout = TimeSpan.Zero },
        { "RequestTimeout", o => o.RequestTimeout = TimeSpan.FromHours(2) },
        { "InitialBackoff", o => o.InitialBackoff = TimeSpan.Zero },
        { "MaxBackoff", o => o.MaxBackoff = TimeSpan.FromMilliseconds(500) },
        { "BackoffJitter", o => o.BackoffJitter = 1.0 },
        { "ListPageSize", o => o.ListPageSize = 0 },
        { "MaxListPageBytes", o => o.MaxListPageBytes = 10 },
        { "MaxEventBytes", o => o.MaxEventBytes = -1 },
        { "TokenPath", o => o.TokenPath = " " },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public void Validator_InvalidSetting_FailsNamingIt(string setting, Action<KubernetesDiscoveryOptions> breakIt)
    {
        var options = new KubernetesDiscoveryOptions { ApiUrl = new Uri("https://10.96.0.1") };
        breakIt(options);

        var result = new KubernetesDiscoveryOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains("Kubernetes:" + setting, result.FailureMessage, StringComparison.Ordinal);
        var e = Assert.Throws<OptionsValidationException>(() => new KubernetesDiscovery(options));
        Assert.Contains("Kubernetes:" + setting, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Constructor_CopiesOptions_LaterChangesHaveNoEffect()
    {
        // Port 1 on loopback refuses connections at once, so the copied URL shows up as a connection error.
        var options = new KubernetesDiscoveryOptions { ApiUrl = new Uri("https://127.0.0.1:1"), TokenPath = null, CaPath = null };
        await using var discovery = new KubernetesDiscovery(options, timeProvider: new PeatMesh.Testing.ManualTimeProvider());
        Assert.Equal(KubernetesDiscoveryState.NotStarted, discovery.State);
        options.ApiUrl = null;
        options.Namespace = "NOT VALID";

        await discovery.StartAsync(new PeatMesh.Discovery.LocalAdvertisement("me", PeatMesh.Security.DeviceId.FromPublicKey(new byte[32]), 1, "t"));
        await Wait.UntilAsync(() => discovery.State == KubernetesDiscoveryState.BackingOff, TimeSpan.FromSeconds(15), "connection refused by 127.0.0.1:1");
        Assert.StartsWith("Connection:", discovery.LastError, StringComparison.Ordinal);
        Assert.Empty(discovery.Peers);
        Assert.Null(discovery.ResourceVersion);
    }
}
