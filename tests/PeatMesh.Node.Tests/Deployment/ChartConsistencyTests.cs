using System.Text.Json.Nodes;
using PeatMesh.Discovery.Kubernetes;

namespace PeatMesh.Node.Tests.Deployment;

/// <summary>
/// The Helm chart, rendered as <c>helm template</c> would render it, against what the node really reads and serves:
/// every variable the chart sets is read by <see cref="NodeConfiguration"/> (or Kubernetes discovery) and parses,
/// the node listens where the container ports and Service say, discovery selects this release's EndpointSlices and
/// the port named <c>mesh</c>, and the optional parts (existing Secret, ServiceMonitor, gateway, no persistence)
/// stay consistent. The chart and the node cannot drift apart without one of these failing.
/// </summary>
public class ChartConsistencyTests
{
    private const string Release = "rel";
    private const string Namespace = "peat";
    private static readonly string Secret = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    private static Task<RenderedChart> RenderAsync(params string[] overrides) =>
        ChartRenderer.RenderAsync(Release, Namespace, ["formationSecret=" + Secret, .. overrides]);

    private static (NodeConfiguration Config, EnvironmentRecorder Recorder, IReadOnlyList<KeyValuePair<string, string>> Env) Configure(
        RenderedChart chart, int ordinal = 0, IReadOnlyDictionary<string, string>? existingSecrets = null)
    {
        var env = PodEnvironment.Resolve(chart, ordinal, existingSecrets);
        var recorder = new EnvironmentRecorder(env.Concat(PodEnvironment.Kubelet));
        return (NodeConfiguration.FromEnvironment(recorder), recorder, env);
    }

    [ChartRenderFact]
    public async Task ContainerEnv_DefaultValues_EveryVariableIsReadByTheNodeAndValid()
    {
        var chart = await RenderAsync();

        var (config, recorder, env) = Configure(chart);

        Assert.True(config.Error is null, "the node rejects the chart's environment: " + config.Error);
        var unread = env.Select(v => v.Key).Where(name => !recorder.Read.Contains(name)).ToList();
        Assert.True(unread.Count == 0, "the chart sets variables the node never reads: " + string.Join(", ", unread));
        Assert.Equal(env.Count, env.Select(v => v.Key).Distinct().Count());
    }

    [ChartRenderFact]
    public async Task ContainerEnv_DefaultValues_NodeUsesThePortsDataMountAndPodName()
    {
        var chart = await RenderAsync();

        var (config, _, _) = Configure(chart, ordinal: 2);

        Assert.Null(config.Error);
        Assert.Equal((int)RenderedChart.Port(chart.Container["ports"], "broker")["containerPort"]!, config.Options.BrokerPort);
        Assert.Equal((int)RenderedChart.Port(chart.Container["ports"], "mesh")["containerPort"]!, config.Options.Transport.Port);
        var dataMount = RenderedChart.Items(chart.Container["volumeMounts"]).Single(m => (string)m["name"]! == "data");
        Assert.Equal((string)dataMount["mountPath"]!, config.Options.DataDirectory);
        Assert.Equal(RenderedChart.Name(chart.StatefulSet) + "-2", config.Options.NodeId);
        Assert.Equal("kubernetes", config.Discovery);
        Assert.All(RenderedChart.Items(chart.Container["ports"]), p => Assert.Equal("TCP", (string)p["protocol"]!));
    }

    [ChartRenderFact]
    public async Task ContainerEnv_OverriddenPortsAndLogging_FollowTheValues()
    {
        var chart = await RenderAsync("brokerPort=9090", "meshPort=12000", "logLevel=debug", "logFormat=json");

        var (config, _, _) = Configure(chart);

        Assert.Null(config.Error);
        Assert.Equal(9090, config.Options.BrokerPort);
        Assert.Equal(12000, config.Options.Transport.Port);
        Assert.True(config.JsonLogs);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Debug, config.LogLevel);
        Assert.Equal(9090, (int)RenderedChart.Port(chart.Container["ports"], "broker")["containerPort"]!);
        Assert.Equal(12000, (int)RenderedChart.Port(chart.HeadlessService["spec"]!["ports"], "mesh")["port"]!);
    }

    [ChartRenderFact]
    public async Task ContainerEnv_StaticPeersForAGateway_NodeParsesThem()
    {
        var chart = await RenderAsync("discoveryMode=kubernetes,static", "staticPeers=[203.0.113.7:11204, peat.example.org:11204]");

        var (config, recorder, env) = Configure(chart);

        Assert.True(config.Error is null, config.Error);
        Assert.Equal(["203.0.113.7:11204", "peat.example.org:11204"], config.Options.StaticPeers.Select(p => p.ToString()));
        Assert.All(env, v => Assert.Contains(v.Key, recorder.Read));
    }

    [ChartRenderFact]
    public async Task KubernetesDiscovery_DefaultValues_SelectsThisReleasesSlicesAndTheMeshPort()
    {
        var chart = await RenderAsync();
        var other = await ChartRenderer.RenderAsync("other", Namespace, "formationSecret=" + Secret);
        var (_, recorder, _) = Configure(chart);

        Assert.True(KubernetesDiscoveryOptions.TryFromEnvironment(recorder, "/nonexistent", out var options, out var error), error);

        Assert.Equal(Namespace, options.Namespace);
        var selector = ParseSelector(options.LabelSelector);
        Assert.True(RenderedChart.Selects(selector, RenderedChart.Labels(chart.HeadlessService["metadata"])),
            $"selector '{options.LabelSelector}' does not match the headless Service's labels (EndpointSlices copy them)");
        Assert.False(RenderedChart.Selects(selector, RenderedChart.Labels(other.HeadlessService["metadata"])),
            $"selector '{options.LabelSelector}' also matches another release's Service");
        Assert.NotNull(options.MeshPortName);
        var meshPort = RenderedChart.Port(chart.HeadlessService["spec"]!["ports"], options.MeshPortName);
        Assert.Equal("TCP", (string)meshPort["protocol"]!);
        Assert.Equal("mesh", (string)meshPort["targetPort"]!);
        Assert.Equal((int)RenderedChart.Port(chart.Container["ports"], "mesh")["containerPort"]!, (int)meshPort["port"]!);
    }

    [ChartRenderFact]
    public async Task HeadlessService_DefaultValues_PublishesReadyPodsWithTheDiscoveryLabel()
    {
        var chart = await RenderAsync();
        var service = chart.HeadlessService;

        Assert.Equal("None", (string)service["spec"]!["clusterIP"]!);
        Assert.False((bool)service["spec"]!["publishNotReadyAddresses"]!);
        Assert.Equal("peat-mesh", RenderedChart.Labels(service["metadata"])["app"]);
        Assert.Equal("peat-mesh", RenderedChart.Labels(chart.PodTemplate["metadata"])["app"]);
        var selector = service["spec"]!["selector"]!.AsObject().ToDictionary(p => p.Key, p => (string)p.Value!);
        Assert.True(RenderedChart.Selects(selector, RenderedChart.Labels(chart.PodTemplate["metadata"])), "the Service does not select the pods");
        var containerPorts = RenderedChart.Items(chart.Container["ports"]).Select(p => (string)p["name"]!).ToHashSet();
        Assert.All(RenderedChart.Items(service["spec"]!["ports"]), p => Assert.Contains((string)p["targetPort"]!, containerPorts));
        Assert.Equal(["broker", "mesh"], RenderedChart.Items(service["spec"]!["ports"]).Select(p => (string)p["name"]!).Order());
    }

    [ChartRenderFact]
    public async Task Probes_DefaultValues_UseTheBrokerPortAndTheNodesHealthRoutes()
    {
        var chart = await RenderAsync();

        var liveness = chart.Container["livenessProbe"]!["httpGet"]!;
        var readiness = chart.Container["readinessProbe"]!["httpGet"]!;

        Assert.Equal("broker", (string)liveness["port"]!);
        Assert.Equal("broker", (string)readiness["port"]!);
        Assert.Equal("/api/v1/health", (string)liveness["path"]!);
        Assert.Equal("/api/v1/ready", (string)readiness["path"]!);
    }

    [ChartRenderFact]
    public async Task Rbac_DefaultValues_GrantsOnlyListAndWatchOnEndpointSlicesToThePodsAccount()
    {
        var chart = await RenderAsync();

        var rule = Assert.Single(RenderedChart.Items(chart.Single("Role")["rules"]));
        Assert.Equal(["discovery.k8s.io"], rule["apiGroups"]!.AsArray().Select(n => (string)n!));
        Assert.Equal(["endpointslices"], rule["resources"]!.AsArray().Select(n => (string)n!));
        Assert.Equal(["list", "watch"], rule["verbs"]!.AsArray().Select(n => (string)n!).Order());
        var binding = chart.Single("RoleBinding");
        Assert.Equal(RenderedChart.Name(chart.Single("Role")), (string)binding["roleRef"]!["name"]!);
        var subject = Assert.Single(RenderedChart.Items(binding["subjects"]));
        Assert.Equal((string)chart.PodSpec["serviceAccountName"]!, (string)subject["name"]!);
        Assert.Equal(Namespace, (string)subject["namespace"]!);
        Assert.Equal((string)chart.PodSpec["serviceAccountName"]!, RenderedChart.Name(chart.Single("ServiceAccount")));
        Assert.True((bool)chart.PodSpec["automountServiceAccountToken"]!);
    }

    [ChartRenderFact]
    public async Task ServiceAccountToken_StaticDiscovery_IsNotMounted()
    {
        var chart = await RenderAsync("discoveryMode=static", "staticPeers=[10.0.0.1:11204]");

        Assert.False((bool)chart.PodSpec["automountServiceAccountToken"]!);
        Assert.Null(Configure(chart).Config.Error);
    }

    [ChartRenderFact]
    public async Task SecurityContext_DefaultValues_NonRootReadOnlyRootNoCapabilities()
    {
        var chart = await RenderAsync();
        var pod = chart.PodSpec["securityContext"]!;
        var container = chart.Container["securityContext"]!;

        Assert.True((bool)pod["runAsNonRoot"]!);
        Assert.True((int)pod["runAsUser"]! > 0);
        Assert.Equal((int)pod["runAsGroup"]!, (int)pod["fsGroup"]!);
        Assert.Equal("RuntimeDefault", (string)pod["seccompProfile"]!["type"]!);
        Assert.False((bool)container["allowPrivilegeEscalation"]!);
        Assert.True((bool)container["readOnlyRootFilesystem"]!);
        Assert.Equal(["ALL"], container["capabilities"]!["drop"]!.AsArray().Select(n => (string)n!));
        var tmp = RenderedChart.Items(chart.Container["volumeMounts"]).Single(m => (string)m["mountPath"]! == "/tmp");
        Assert.NotNull(RenderedChart.Items(chart.PodSpec["volumes"]).Single(v => (string)v["name"]! == (string)tmp["name"]!)["emptyDir"]);
    }

    [ChartRenderFact]
    public async Task Volumes_PersistenceOnAndOff_EveryMountIsBacked()
    {
        var persistent = await RenderAsync("persistence.size=5Gi", "persistence.storageClass=fast");
        var ephemeral = await RenderAsync("persistence.enabled=false");

        var claim = Assert.Single(RenderedChart.Items(persistent.StatefulSet["spec"]!["volumeClaimTemplates"]));
        Assert.Equal("data", RenderedChart.Name(claim));
        Assert.Equal("5Gi", (string)claim["spec"]!["resources"]!["requests"]!["storage"]!);
        Assert.Equal("fast", (string)claim["spec"]!["storageClassName"]!);
        Assert.Null(ephemeral.StatefulSet["spec"]!["volumeClaimTemplates"]);
        foreach (var chart in new[] { persistent, ephemeral })
        {
            var backed = RenderedChart.Items(chart.PodSpec["volumes"]).Select(v => (string)v["name"]!)
                .Concat(RenderedChart.Items(chart.StatefulSet["spec"]!["volumeClaimTemplates"]).Select(RenderedChart.Name))
                .ToList();
            Assert.All(RenderedChart.Items(chart.Container["volumeMounts"]), m => Assert.Single(backed, (string)m["name"]!));
        }

        Assert.NotNull(RenderedChart.Items(ephemeral.PodSpec["volumes"]).Single(v => (string)v["name"]! == "data")["emptyDir"]);
    }

    [ChartRenderFact]
    public async Task FormationSecret_NeitherValueNorExistingSecret_RenderingFailsNamingBoth()
    {
        var (code, _, stderr) = await ChartRenderer.TryRenderAsync(Release, Namespace);

        Assert.NotEqual(0, code);
        Assert.Contains("formationSecret", stderr, StringComparison.Ordinal);
        Assert.Contains("existingSecret", stderr, StringComparison.Ordinal);
    }

    [ChartRenderFact]
    public async Task FormationSecret_ExistingSecret_ChartCreatesNoSecretAndThePodReadsIt()
    {
        var chart = await ChartRenderer.RenderAsync(Release, Namespace, "existingSecret=peat-formation", "existingSecretKey=secret");

        Assert.Empty(chart.All("Secret"));
        var existing = new Dictionary<string, string> { ["peat-formation/secret"] = Secret };
        var (config, _, _) = Configure(chart, existingSecrets: existing);
        Assert.True(config.Error is null, config.Error);
        Assert.DoesNotContain(Secret, chart.Notes, StringComparison.Ordinal);
    }

    [ChartRenderFact]
    public async Task FormationSecret_FromValues_SecretHoldsTheBase64TextTheNodeParses()
    {
        var chart = await RenderAsync();

        var env = PodEnvironment.Resolve(chart, 0);

        Assert.Equal(Secret, env.Single(v => v.Key == "PEAT_FORMATION_SECRET").Value);
        Assert.DoesNotContain(Secret, chart.StatefulSet.ToJsonString(), StringComparison.Ordinal);
    }

    [ChartRenderFact]
    public async Task ServiceMonitor_Enabled_ScrapesMetricsOnTheHeadlessServicesBrokerPort()
    {
        var off = await RenderAsync();
        var chart = await RenderAsync("serviceMonitor.enabled=true", "serviceMonitor.labels.release=prometheus");

        Assert.Empty(off.All("ServiceMonitor"));
        var monitor = chart.Single("ServiceMonitor");
        Assert.Equal("monitoring.coreos.com/v1", (string)monitor["apiVersion"]!);
        Assert.Equal("prometheus", RenderedChart.Labels(monitor["metadata"])["release"]);
        var endpoint = Assert.Single(RenderedChart.Items(monitor["spec"]!["endpoints"]));
        Assert.Equal("/metrics", (string)endpoint["path"]!);
        var port = RenderedChart.Port(chart.HeadlessService["spec"]!["ports"], (string)endpoint["port"]!);
        Assert.Equal("broker", (string)port["targetPort"]!);
        var selector = monitor["spec"]!["selector"]!["matchLabels"]!.AsObject().ToDictionary(p => p.Key, p => (string)p.Value!);
        Assert.True(RenderedChart.Selects(selector, RenderedChart.Labels(chart.HeadlessService["metadata"])));
    }

    [ChartRenderFact]
    public async Task Gateway_Enabled_ExposesPodZerosMeshPortAndIsNotADiscoveryTarget()
    {
        var chart = await RenderAsync("gateway.enabled=true", "gateway.type=NodePort", "gateway.nodePort=31204");
        var (_, recorder, _) = Configure(chart);
        Assert.True(KubernetesDiscoveryOptions.TryFromEnvironment(recorder, "/nonexistent", out var options, out _));

        var gateway = chart.All("Service").Single(s => s != chart.HeadlessService);

        Assert.False(RenderedChart.Selects(ParseSelector(options.LabelSelector), RenderedChart.Labels(gateway["metadata"])),
            "the gateway's EndpointSlices would be taken for members");
        Assert.Equal(RenderedChart.Name(chart.StatefulSet) + "-0", (string)gateway["spec"]!["selector"]!["statefulset.kubernetes.io/pod-name"]!);
        var port = Assert.Single(RenderedChart.Items(gateway["spec"]!["ports"]));
        Assert.Equal("mesh", (string)port["targetPort"]!);
        Assert.Equal(31204, (int)port["nodePort"]!);
    }

    [ChartRenderFact]
    public async Task PodDisruptionBudget_DefaultValues_SelectsTheMembers()
    {
        var chart = await RenderAsync();

        var pdb = chart.Single("PodDisruptionBudget");

        Assert.Equal(1, (int)pdb["spec"]!["maxUnavailable"]!);
        var selector = pdb["spec"]!["selector"]!["matchLabels"]!.AsObject().ToDictionary(p => p.Key, p => (string)p.Value!);
        Assert.True(RenderedChart.Selects(selector, RenderedChart.Labels(chart.PodTemplate["metadata"])));
    }

    [ChartRenderFact]
    public async Task StatefulSet_DefaultValues_ParallelWithGraceAboveTheNodesStopTime()
    {
        var chart = await RenderAsync();
        var spec = chart.StatefulSet["spec"]!;

        Assert.Equal("Parallel", (string)spec["podManagementPolicy"]!);
        Assert.Equal(3, (int)spec["replicas"]!);
        // The node stops within 10 s of SIGTERM (docs/operations.md); the kubelet must not kill it earlier.
        Assert.True((int)chart.PodSpec["terminationGracePeriodSeconds"]! > 10);
        var selector = spec["selector"]!["matchLabels"]!.AsObject().ToDictionary(p => p.Key, p => (string)p.Value!);
        Assert.True(RenderedChart.Selects(selector, RenderedChart.Labels(chart.PodTemplate["metadata"])));
        Assert.Equal("peat-mesh-node:0.1.0", (string)chart.Container["image"]!);
    }

    [ChartRenderFact]
    public async Task Notes_DefaultValues_NameTheStatefulSetAndNeverTheSecret()
    {
        var chart = await RenderAsync();

        Assert.Contains("statefulset/" + RenderedChart.Name(chart.StatefulSet), chart.Notes, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, chart.Notes, StringComparison.Ordinal);
    }

    /// <summary>Parses an equality-based label selector (<c>a=b,c=d</c>), the only form the chart uses.</summary>
    private static Dictionary<string, string> ParseSelector(string selector) =>
        selector.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(term => term.Split('=', 2))
            .ToDictionary(kv => kv[0], kv => kv[1]);
}
