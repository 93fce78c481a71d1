using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using PeatMesh.Transport;

namespace PeatMesh.Discovery.Kubernetes;

/// <summary>
/// Turns the cached EndpointSlices of a Service into mesh peers (discovery.k8s.io/v1 semantics, protocols.md §5):
/// slices are merged; an endpoint is a peer when it is ready (null counts as ready) and not terminating;
/// its node id is <c>targetRef.name</c> (the pod name), else <c>hostname</c>, else its first address; its
/// addresses are every valid endpoint address with the slice's mesh port.
/// </summary>
/// <remarks>Stateless; thread-safe.</remarks>
internal static class EndpointSliceProjection
{
    /// <summary>The <see cref="DiscoveredPeer.Source"/> of every peer found here.</summary>
    public const string Source = "kubernetes";

    /// <summary>Metadata key for the endpoint's zone.</summary>
    public const string ZoneKey = "zone";

    /// <summary>Metadata key for the Kubernetes node hosting the endpoint.</summary>
    public const string NodeNameKey = "node_name";

    /// <summary>At most this many addresses are taken from one endpoint (the API allows 100).</summary>
    public const int MaxAddressesPerEndpoint = 100;

    /// <summary>Projects <paramref name="slices"/> to peers keyed by node id.</summary>
    /// <param name="slices">The cached slices (any order; processed in name order so the result is deterministic).</param>
    /// <param name="options">Port and metadata settings.</param>
    /// <param name="selfNodeId">This node's id; its endpoint is not a peer.</param>
    /// <param name="slicesWithoutPort">Receives the names of slices skipped for want of a mesh port.</param>
    public static ImmutableSortedDictionary<string, DiscoveredPeer> Project(IEnumerable<EndpointSlice> slices,
        KubernetesDiscoveryOptions options, string? selfNodeId, ICollection<string> slicesWithoutPort)
    {
        var merged = new Dictionary<string, (List<PeerAddress> Addresses, Dictionary<string, string> Metadata)>(StringComparer.Ordinal);
        foreach (var slice in slices.OrderBy(s => s.Metadata?.Name, StringComparer.Ordinal))
        {
            if (slice.Endpoints is not { Count: > 0 } endpoints)
            {
                continue;
            }

            if (SelectPort(slice.Ports, options) is not { } port)
            {
                slicesWithoutPort.Add(slice.Metadata?.Name ?? "?");
                continue;
            }

            var annotations = AnnotationMetadata(slice.Metadata?.Annotations, options.AnnotationPrefix);
            foreach (var endpoint in endpoints)
            {
                if (endpoint is null || !IsPeer(endpoint.Conditions))
                {
                    continue;
                }

                var addresses = Addresses(endpoint, slice.AddressType, port);
                if (addresses.Count == 0)
                {
                    continue;
                }

                var nodeId = NodeId(endpoint, addresses[0]);
                if (nodeId is null || string.Equals(nodeId, selfNodeId, StringComparison.Ordinal))
                {
                    continue;
                }

                if (!merged.TryGetValue(nodeId, out var entry))
                {
                    entry = ([], new Dictionary<string, string>(StringComparer.Ordinal));
                    merged.Add(nodeId, entry);
                }

                foreach (var address in addresses.Where(a => !entry.Addresses.Contains(a)))
                {
                    entry.Addresses.Add(address);
                }

                AddIfAbsent(entry.Metadata, ZoneKey, endpoint.Zone);
                AddIfAbsent(entry.Metadata, NodeNameKey, endpoint.NodeName);
                foreach (var (key, value) in annotations)
                {
                    AddIfAbsent(entry.Metadata, key, value);
                }
            }
        }

        return merged.ToImmutableSortedDictionary(
            kv => kv.Key,
            kv => new DiscoveredPeer(kv.Key, kv.Value.Addresses.ToArray(), Source, kv.Value.Metadata.ToImmutableSortedDictionary(StringComparer.Ordinal)),
            StringComparer.Ordinal);
    }

    /// <summary>
    /// Whether an endpoint with these conditions is a mesh peer: <c>ready</c> true or null (the API says to
    /// treat unknown as ready) and <c>terminating</c> not true. <c>serving</c> is not consulted: a terminating
    /// pod may still serve, but it is leaving the mesh.
    /// </summary>
    public static bool IsPeer(EndpointConditions? conditions) =>
        conditions is null || (conditions.Ready != false && conditions.Terminating != true);

    /// <summary>
    /// The mesh port of a slice: the port named <see cref="KubernetesDiscoveryOptions.MeshPortName"/> (any
    /// protocol), else the first TCP port (protocol null means TCP), else <see cref="KubernetesDiscoveryOptions.FallbackPort"/>.
    /// </summary>
    public static int? SelectPort(IReadOnlyList<EndpointPort?>? ports, KubernetesDiscoveryOptions options)
    {
        var valid = (ports ?? []).Where(p => p?.Port is >= 1 and <= 65535).Select(p => p!).ToList();
        if (options.MeshPortName is { } name && valid.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal)) is { } named)
        {
            return named.Port;
        }

        if (valid.FirstOrDefault(p => p.Protocol is null or "TCP") is { } tcp)
        {
            return tcp.Port;
        }

        return options.FallbackPort;
    }

    private static List<PeerAddress> Addresses(Endpoint endpoint, string? addressType, int port)
    {
        var result = new List<PeerAddress>();
        foreach (var text in (endpoint.Addresses ?? []).Take(MaxAddressesPerEndpoint))
        {
            if (text is null || text.Length is 0 or > PeerHello.MaxNodeIdLength)
            {
                continue;
            }

            var valid = addressType switch
            {
                "IPv4" => IPAddress.TryParse(text, out var v4) && v4.AddressFamily == AddressFamily.InterNetwork,
                "IPv6" => IPAddress.TryParse(text, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6,
                "FQDN" => Uri.CheckHostName(text) == UriHostNameType.Dns,
                _ => IPAddress.TryParse(text, out _) || Uri.CheckHostName(text) == UriHostNameType.Dns,
            };
            var address = new PeerAddress(text, port);
            if (valid && !result.Contains(address))
            {
                result.Add(address);
            }
        }

        return result;
    }

    private static string? NodeId(Endpoint endpoint, PeerAddress first)
    {
        foreach (var candidate in new[] { endpoint.TargetRef?.Name, endpoint.Hostname, first.Host })
        {
            if (candidate is { Length: > 0 and <= PeerHello.MaxNodeIdLength } && !candidate.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            {
                return candidate;
            }
        }

        return null;
    }

    private static List<KeyValuePair<string, string>> AnnotationMetadata(Dictionary<string, string?>? annotations, string prefix)
    {
        if (annotations is null || prefix.Length == 0)
        {
            return [];
        }

        return [.. annotations
            .Where(kv => kv.Key.Length > prefix.Length && kv.Key.StartsWith(prefix, StringComparison.Ordinal) && kv.Value is not null)
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new KeyValuePair<string, string>(kv.Key[prefix.Length..], kv.Value!))];
    }

    private static void AddIfAbsent(Dictionary<string, string> metadata, string key, string? value)
    {
        if (value is { Length: > 0 })
        {
            metadata.TryAdd(key, value);
        }
    }
}
