namespace PeatMesh.Discovery.Kubernetes;

/// <summary>
/// Settings of <see cref="KubernetesDiscovery"/>: where the Kubernetes API is, how to authenticate to it,
/// which EndpointSlices to follow and how to pick the mesh port (protocols.md §5, discovery.k8s.io/v1).
/// </summary>
/// <remarks>
/// Plain mutable settings object for the Options pattern; validated by <see cref="KubernetesDiscoveryOptionsValidator"/>
/// (and again by the <see cref="KubernetesDiscovery"/> constructor, which copies it). Not thread-safe while being
/// configured. Build one for a pod with <see cref="FromEnvironment(System.Collections.IDictionary)"/>.
/// </remarks>
public sealed partial class KubernetesDiscoveryOptions
{
    /// <summary>The projected service-account volume: <c>/var/run/secrets/kubernetes.io/serviceaccount</c>.</summary>
    public const string ServiceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";

    /// <summary>The default <see cref="TokenPath"/>: <c>/var/run/secrets/kubernetes.io/serviceaccount/token</c>.</summary>
    public const string DefaultTokenPath = ServiceAccountDirectory + "/token";

    /// <summary>The default <see cref="CaPath"/>: <c>/var/run/secrets/kubernetes.io/serviceaccount/ca.crt</c>.</summary>
    public const string DefaultCaPath = ServiceAccountDirectory + "/ca.crt";

    /// <summary>The default <see cref="LabelSelector"/>: <c>app=peat-mesh</c> (the reference's selector and Helm label).</summary>
    public const string DefaultLabelSelector = "app=peat-mesh";

    /// <summary>The default <see cref="MeshPortName"/>: <c>mesh</c>.</summary>
    public const string DefaultMeshPortName = "mesh";

    /// <summary>The default <see cref="AnnotationPrefix"/>: <c>peat.</c> (the reference's prefix).</summary>
    public const string DefaultAnnotationPrefix = "peat.";

    /// <summary>
    /// Base URL of the Kubernetes API server, e.g. <c>https://10.96.0.1:443</c>. Required, no default:
    /// <see cref="FromEnvironment(System.Collections.IDictionary)"/> builds it from <c>PEAT_K8S_API_URL</c> or
    /// <c>KUBERNETES_SERVICE_HOST</c>/<c>KUBERNETES_SERVICE_PORT</c>. A path in the URL is kept as a prefix
    /// (for API proxies). <c>http://</c> is accepted for <c>kubectl proxy</c>, but the bearer token is then never sent.
    /// </summary>
    public Uri? ApiUrl { get; set; }

    /// <summary>
    /// File holding the service-account bearer token. Defaults to <see cref="DefaultTokenPath"/>. The file is
    /// re-read when its size or modification time changes, after a 401, and at least every
    /// <see cref="TokenRefreshInterval"/> (projected tokens rotate). <see langword="null"/>, or a missing file,
    /// sends no <c>Authorization</c> header (for <c>kubectl proxy</c>).
    /// </summary>
    public string? TokenPath { get; set; } = DefaultTokenPath;

    /// <summary>
    /// PEM file with the certificate authority (or authorities) that signed the API server's certificate.
    /// Defaults to <see cref="DefaultCaPath"/>. Exactly these certificates are trusted as roots for the API
    /// server (the system store is not consulted) and the server name must match the certificate.
    /// <see langword="null"/> trusts the operating system's roots instead (out-of-cluster servers with public
    /// certificates). The file is re-read when it changes. There is no "accept any certificate" mode.
    /// </summary>
    public string? CaPath { get; set; } = DefaultCaPath;

    /// <summary>
    /// Namespace whose EndpointSlices are watched (an RFC 1123 label, at most 63 characters). Defaults to
    /// <c>default</c>; <see cref="FromEnvironment(System.Collections.IDictionary)"/> reads the pod's namespace from the
    /// service-account volume.
    /// </summary>
    public string Namespace { get; set; } = "default";

    /// <summary>
    /// Label selector for the EndpointSlices (sent as <c>labelSelector</c>). Defaults to <see cref="DefaultLabelSelector"/>;
    /// EndpointSlices carry their Service's labels, so this selects the Service's slices. Empty selects every
    /// slice in the namespace.
    /// </summary>
    public string LabelSelector { get; set; } = DefaultLabelSelector;

    /// <summary>
    /// Name of the EndpointSlice port that carries the mesh (any protocol: the name is an explicit choice).
    /// Defaults to <see cref="DefaultMeshPortName"/>. When a slice has no port of that name (or this is
    /// <see langword="null"/>), its first TCP port is used, then <see cref="FallbackPort"/>; otherwise its endpoints
    /// are skipped. (The reference takes the first port of any protocol, which picks the wrong port when the
    /// Service lists the broker first.)
    /// </summary>
    public string? MeshPortName { get; set; } = DefaultMeshPortName;

    /// <summary>
    /// Mesh port used for a slice that has neither a port named <see cref="MeshPortName"/> nor a TCP port
    /// (for example a headless Service without ports). Defaults to <see langword="null"/>: such endpoints are
    /// skipped. The node may set its own mesh port here, since every replica listens on the same port.
    /// </summary>
    public int? FallbackPort { get; set; }

    /// <summary>
    /// Slice annotations whose key starts with this prefix become peer metadata, with the prefix removed
    /// (<c>peat.relay_url</c> → <c>relay_url</c>), as in the reference. Defaults to <see cref="DefaultAnnotationPrefix"/>;
    /// empty disables annotation metadata.
    /// </summary>
    public string AnnotationPrefix { get; set; } = DefaultAnnotationPrefix;

    /// <summary>
    /// Server-side length of one watch request (sent as <c>timeoutSeconds</c>, whole seconds). When the server
    /// ends the watch the client resumes it from the last resourceVersion at once. Defaults to 5 minutes
    /// (client-go uses 5–10 minutes); must be 1 second to 1 hour. The client gives up on a silent connection
    /// <see cref="KubernetesDiscovery.WatchGrace"/> after this.
    /// </summary>
    public TimeSpan WatchTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Longest a LIST page request may take (headers and body). Defaults to 30 seconds; must be 1 second to 10 minutes.
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The token file is re-read at least this often even when it looks unchanged. Defaults to 1 minute, as
    /// client-go does; must be 1 second to 1 hour.
    /// </summary>
    public TimeSpan TokenRefreshInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Delay before the first retry after an error. Defaults to 1 second; must be 1 millisecond to 10 minutes.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Upper bound of the retry delay, which doubles per consecutive failure from <see cref="InitialBackoff"/>.
    /// Defaults to 30 seconds (client-go's cap); must be at least <see cref="InitialBackoff"/> and at most 1 hour.
    /// </summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Relative jitter applied to every retry delay, in [0, 1): the delay is spread uniformly by ± this fraction
    /// so that many pods do not retry in lockstep. Defaults to 0.2 (±20 %).
    /// </summary>
    public double BackoffJitter { get; set; } = 0.2;

    /// <summary>Seed for backoff jitter; <see langword="null"/> (default) seeds from the OS.</summary>
    public int? RandomSeed { get; set; }

    /// <summary>
    /// Most EndpointSlices per LIST page (sent as <c>limit</c>; <c>continue</c> tokens fetch the rest).
    /// Defaults to 500, client-go's page size; must be 1–10 000.
    /// </summary>
    public int ListPageSize { get; set; } = 500;

    /// <summary>
    /// Largest LIST page body, in bytes; a larger page fails the LIST (then backoff). Defaults to 16 MiB;
    /// must be 1 KiB to 1 GiB. Lower <see cref="ListPageSize"/> rather than raise this.
    /// </summary>
    public int MaxListPageBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>
    /// Largest single watch event (one line of the stream), in bytes, checked before the line is buffered
    /// further. A longer line ends the watch as an error (backoff, then resume). Defaults to 4 MiB, several
    /// times a full 1 000-endpoint slice; must be 1 KiB to 1 GiB.
    /// </summary>
    public int MaxEventBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>A copy of these options (the discovery keeps its own so later changes have no effect).</summary>
    internal KubernetesDiscoveryOptions Clone() => (KubernetesDiscoveryOptions)MemberwiseClone();
}
