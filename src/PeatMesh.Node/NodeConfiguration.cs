using System.Collections;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using PeatMesh.Discovery.Kubernetes;
using PeatMesh.Discovery.Mdns;
using PeatMesh.Hosting;
using PeatMesh.Security;
using PeatMesh.Transport;

namespace PeatMesh.Node;

/// <summary>
/// The node's configuration from <c>PEAT_*</c> environment variables (decision 7; docs/operations.md lists
/// them all). Parsing never throws: <see cref="Error"/> holds one clear line for the first problem found.
/// </summary>
internal sealed class NodeConfiguration
{
    private NodeConfiguration()
    {
    }

    /// <summary>The node options, when <see cref="Error"/> is null.</summary>
    public MeshNodeOptions Options { get; } = new();

    /// <summary>Address the mesh listener binds to (<c>PEAT_BIND_ADDRESS</c>, default 0.0.0.0).</summary>
    public IPAddress BindAddress { get; private set; } = IPAddress.Any;

    /// <summary>Address the broker binds to (<c>PEAT_BROKER_BIND_ADDRESS</c>, default <see cref="BindAddress"/>).</summary>
    public IPAddress BrokerBindAddress { get; private set; } = IPAddress.Any;

    /// <summary>Minimum log level (<c>PEAT_LOG_LEVEL</c>: trace, debug, info, warn, error; default info).</summary>
    public LogLevel LogLevel { get; private set; } = LogLevel.Information;

    /// <summary>Log format (<c>PEAT_LOG_FORMAT</c>: text or json; default text).</summary>
    public bool JsonLogs { get; private set; }

    /// <summary>
    /// Where traces are exported over OTLP (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, or the traces-only
    /// <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c>), or null: no trace export (the default). The exporter itself reads the
    /// other <c>OTEL_EXPORTER_OTLP_*</c> variables (protocol, headers, timeout).
    /// </summary>
    public Uri? OtlpEndpoint { get; private set; }

    /// <summary>The <c>service.name</c> of exported traces (<c>OTEL_SERVICE_NAME</c>, default <c>peat-mesh-node</c>).</summary>
    public string ServiceName { get; private set; } = "peat-mesh-node";

    /// <summary>The discovery mode (<c>PEAT_DISCOVERY</c>).</summary>
    public string Discovery { get; private set; } = "static";

    /// <summary>The first configuration problem, or null when the configuration is usable.</summary>
    public string? Error { get; private set; }

    /// <summary>Reads the configuration from an environment dictionary (as returned by <see cref="Environment.GetEnvironmentVariables()"/>).</summary>
    public static NodeConfiguration FromEnvironment(IDictionary environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var config = new NodeConfiguration();
        config.Error = config.Parse(name => environment[name] as string, environment);
        return config;
    }

    /// <summary>The effective configuration for the start-up log line, with the secret redacted.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"hostname={Options.NodeId} discovery={Discovery} bind={BindAddress} broker_bind={BrokerBindAddress} broker_port={Options.BrokerPort} mesh_port={Options.Transport.Port} " +
        $"data_dir={Options.DataDirectory} static_peers=[{string.Join(",", Options.StaticPeers)}] max_document_bytes={Options.Sync.MaxDocumentBytes} " +
        $"durable_commits={Options.DurableCommits} connection_target={Options.Membership.ConnectionTarget} " +
        $"heartbeat_interval={Options.Peers.Connection.HeartbeatInterval.TotalSeconds}s " +
        $"otlp_endpoint={(OtlpEndpoint is null ? "none" : OtlpEndpoint.Scheme + "://" + OtlpEndpoint.Authority)} service_name={ServiceName} " +
        $"formation_secret={Options.FormationSecret}");

    /// <summary>Where Kubernetes mounts the service account (token, ca.crt, namespace).</summary>
    internal const string ServiceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";

    private string? Parse(Func<string, string?> env, IDictionary environment)
    {
        var secret = env("PEAT_FORMATION_SECRET");
        if (string.IsNullOrWhiteSpace(secret))
        {
            return "PEAT_FORMATION_SECRET is required (base64, e.g. from `openssl rand -base64 32`)";
        }

        if (!FormationSecret.TryParse(secret, out var formationSecret, out var secretError))
        {
            return "PEAT_FORMATION_SECRET is invalid: " + secretError;
        }

        Options.FormationSecret = formationSecret;
        Options.NodeId = (env("HOSTNAME") is { Length: > 0 } host ? host : "peat-mesh-0").Trim();
        if (Options.NodeId.Length > PeerHello.MaxNodeIdLength || Options.NodeId.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return "HOSTNAME must be 1-253 characters without whitespace";
        }

        Discovery = (env("PEAT_DISCOVERY") ?? "static").Trim().ToLowerInvariant();
        foreach (var mode in Discovery.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct())
        {
            switch (mode)
            {
                case "static":
                    break;
                case "kubernetes" or "k8s":
                    if (!KubernetesDiscoveryOptions.TryFromEnvironment(environment, ServiceAccountDirectory, out var kubernetes, out var kubernetesError))
                    {
                        return "PEAT_DISCOVERY=kubernetes: " + kubernetesError;
                    }

                    Options.DiscoveryStrategies.Add((time, loggers) => new KubernetesDiscovery(kubernetes, loggers.CreateLogger<KubernetesDiscovery>(), time));
                    break;
                case "mdns":
                    Options.DiscoveryStrategies.Add((time, loggers) => new MdnsDiscovery(new MdnsOptions(), time, loggers.CreateLogger<MdnsDiscovery>(), Options.Metrics));
                    break;
                default:
                    return $"PEAT_DISCOVERY mode '{mode}' is not supported (supported: static, mdns, kubernetes)";
            }
        }

        Options.DataDirectory = env("PEAT_DATA_DIR") is { Length: > 0 } dir ? dir : "/data";
        if (ParsePort(env, "PEAT_BROKER_PORT", 8081, out var brokerPort) is { } brokerError)
        {
            return brokerError;
        }

        Options.BrokerPort = brokerPort;
        var meshName = env("PEAT_MESH_PORT") is not null ? "PEAT_MESH_PORT" : "PEAT_IROH_BIND_PORT";
        if (ParsePort(env, meshName, 11204, out var meshPort) is { } meshError)
        {
            return meshError;
        }

        Options.Transport.Port = meshPort;
        if (env("PEAT_BIND_ADDRESS") is { Length: > 0 } bind)
        {
            if (!IPAddress.TryParse(bind.Trim(), out var address))
            {
                return "PEAT_BIND_ADDRESS is not an IP address: " + bind;
            }

            BindAddress = address;
        }

        Options.Transport.BindAddress = BindAddress;
        BrokerBindAddress = BindAddress;
        if (env("PEAT_BROKER_BIND_ADDRESS") is { Length: > 0 } brokerBind)
        {
            if (!IPAddress.TryParse(brokerBind.Trim(), out var brokerAddress))
            {
                return "PEAT_BROKER_BIND_ADDRESS is not an IP address: " + brokerBind;
            }

            BrokerBindAddress = brokerAddress;
        }

        foreach (var item in (env("PEAT_STATIC_PEERS") ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!PeerAddress.TryParse(item, out var peer))
            {
                return "PEAT_STATIC_PEERS entry is not host:port: " + item;
            }

            Options.StaticPeers.Add(peer);
        }

        if (env("PEAT_MAX_DOCUMENT_BYTES") is { Length: > 0 } max)
        {
            if (!int.TryParse(max, NumberStyles.None, CultureInfo.InvariantCulture, out var maxBytes) || maxBytes < 2)
            {
                return "PEAT_MAX_DOCUMENT_BYTES must be a positive number of bytes: " + max;
            }

            Options.Sync.MaxDocumentBytes = maxBytes;
        }

        if (env("PEAT_CONNECTION_TARGET") is { Length: > 0 } target)
        {
            if (!int.TryParse(target.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var connections) || connections > 1000)
            {
                return "PEAT_CONNECTION_TARGET must be a number of peers 0-1000: " + target;
            }

            Options.Membership.ConnectionTarget = connections;
        }

        if (env("PEAT_HEARTBEAT_INTERVAL_SECS") is { Length: > 0 } heartbeat)
        {
            if (!double.TryParse(heartbeat.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) || seconds is < 0.05 or > 3600)
            {
                return "PEAT_HEARTBEAT_INTERVAL_SECS must be seconds between 0.05 and 3600: " + heartbeat;
            }

            Options.Peers.Connection.HeartbeatInterval = TimeSpan.FromSeconds(seconds);
            Options.Membership.GossipInterval = TimeSpan.FromSeconds(seconds);
            Options.Membership.RouteTtl = TimeSpan.FromSeconds(seconds * 3);
        }

        switch ((env("PEAT_STORAGE_SYNC") ?? "full").Trim().ToLowerInvariant())
        {
            case "full":
                Options.DurableCommits = true;
                break;
            case "normal":
                Options.DurableCommits = false;
                break;
            case var other:
                return "PEAT_STORAGE_SYNC must be full or normal: " + other;
        }

        switch ((env("PEAT_LOG_LEVEL") ?? "info").Trim().ToLowerInvariant())
        {
            case "trace": LogLevel = LogLevel.Trace; break;
            case "debug": LogLevel = LogLevel.Debug; break;
            case "info" or "information": LogLevel = LogLevel.Information; break;
            case "warn" or "warning": LogLevel = LogLevel.Warning; break;
            case "error": LogLevel = LogLevel.Error; break;
            case var other: return "PEAT_LOG_LEVEL must be trace, debug, info, warn or error: " + other;
        }

        switch ((env("PEAT_LOG_FORMAT") ?? "text").Trim().ToLowerInvariant())
        {
            case "text": JsonLogs = false; break;
            case "json": JsonLogs = true; break;
            case var other: return "PEAT_LOG_FORMAT must be text or json: " + other;
        }

        return ParseTracing(env);
    }

    private string? ParseTracing(Func<string, string?> env)
    {
        foreach (var name in (string[])["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"])
        {
            if (env(name) is not { } text || string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var endpoint) || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
            {
                return name + " must be an absolute http:// or https:// URL";
            }

            OtlpEndpoint ??= endpoint;
        }

        if (env("OTEL_SERVICE_NAME") is { } service && !string.IsNullOrWhiteSpace(service))
        {
            ServiceName = service.Trim();
        }

        return null;
    }

    private static string? ParsePort(Func<string, string?> env, string name, int fallback, out int port)
    {
        port = fallback;
        if (env(name) is not { Length: > 0 } text)
        {
            return null;
        }

        if (!int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out port) || port > 65535)
        {
            return $"{name} must be a port number 0-65535: {text}";
        }

        return null;
    }
}
