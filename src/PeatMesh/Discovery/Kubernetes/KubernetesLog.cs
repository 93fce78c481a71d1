using Microsoft.Extensions.Logging;

namespace PeatMesh.Discovery.Kubernetes;

/// <summary>
/// Source-generated log messages of Kubernetes discovery: event ids 5050–5079, the upper half of the discovery
/// range (5000–5099), so that other discovery strategies can use the lower half. The bearer token is never an argument.
/// </summary>
internal static partial class KubernetesLog
{
    [LoggerMessage(EventId = 5050, Level = LogLevel.Information,
        Message = "Using Kubernetes EndpointSlice discovery url={Url} namespace={Namespace} selector={Selector} port_name={PortName} token_path={TokenPath} ca_path={CaPath}")]
    public static partial void Starting(ILogger logger, string url, string @namespace, string selector, string? portName, string? tokenPath, string? caPath);

    [LoggerMessage(EventId = 5051, Level = LogLevel.Information, Message = "EndpointSlice LIST complete slices={Slices} pages={Pages} peers={Peers} resource_version={ResourceVersion}")]
    public static partial void Listed(ILogger logger, int slices, int pages, int peers, string? resourceVersion);

    [LoggerMessage(EventId = 5052, Level = LogLevel.Debug, Message = "EndpointSlice WATCH opened resource_version={ResourceVersion}")]
    public static partial void WatchOpened(ILogger logger, string? resourceVersion);

    [LoggerMessage(EventId = 5053, Level = LogLevel.Debug, Message = "EndpointSlice WATCH ended by the server after {Events} events; resuming from resource_version={ResourceVersion}")]
    public static partial void WatchEnded(ILogger logger, int events, string? resourceVersion);

    [LoggerMessage(EventId = 5054, Level = LogLevel.Debug, Message = "EndpointSlice watch bookmark resource_version={ResourceVersion}")]
    public static partial void Bookmark(ILogger logger, string resourceVersion);

    [LoggerMessage(EventId = 5055, Level = LogLevel.Information, Message = "EndpointSlice resource_version {ResourceVersion} expired (410 Gone): re-listing")]
    public static partial void Gone(ILogger logger, string? resourceVersion);

    [LoggerMessage(EventId = 5056, Level = LogLevel.Warning, Message = "Kubernetes discovery error ({Error}): {Reason}; retry {Attempt} in {DelaySeconds:0.###} s")]
    public static partial void Failed(ILogger logger, string error, string reason, int attempt, double delaySeconds);

    [LoggerMessage(EventId = 5057, Level = LogLevel.Debug, Message = "Kubernetes peer {Kind} node_id={NodeId} addresses={Addresses}")]
    public static partial void PeerChanged(ILogger logger, DiscoveryEventKind kind, string nodeId, string addresses);

    [LoggerMessage(EventId = 5058, Level = LogLevel.Warning,
        Message = "EndpointSlice {Slice} has no port named '{PortName}', no TCP port and no fallback port; its endpoints are skipped")]
    public static partial void NoMeshPort(ILogger logger, string slice, string? portName);

    [LoggerMessage(EventId = 5059, Level = LogLevel.Debug, Message = "Service-account token read from {Path} (new or rotated)")]
    public static partial void TokenLoaded(ILogger logger, string path);

    [LoggerMessage(EventId = 5060, Level = LogLevel.Warning, Message = "No service-account token is sent: {Problem}")]
    public static partial void TokenUnavailable(ILogger logger, string problem);

    [LoggerMessage(EventId = 5061, Level = LogLevel.Warning, Message = "The Kubernetes API URL {Url} is not https; the service-account token is not sent")]
    public static partial void TokenNotSentInsecure(ILogger logger, string url);

    [LoggerMessage(EventId = 5062, Level = LogLevel.Information, Message = "Trusting the certificate authorities in {Path} for the Kubernetes API server")]
    public static partial void CaLoaded(ILogger logger, string path);

    [LoggerMessage(EventId = 5063, Level = LogLevel.Error, Message = "A Kubernetes discovery event handler failed")]
    public static partial void HandlerFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5064, Level = LogLevel.Information, Message = "Kubernetes discovery stopped")]
    public static partial void Stopped(ILogger logger);
}
