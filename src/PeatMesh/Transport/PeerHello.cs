using System.Text.Json;

namespace PeatMesh.Transport;

/// <summary>
/// The first multiplexer frame each side sends on a new connection: who it is (node id), where it
/// listens, and which protocols it speaks. Encoded as a small JSON object (at most
/// <see cref="MaxEncodedSize"/> bytes), e.g.
/// <c>{"node_id":"peat-1","mesh_port":11204,"broker_port":8081,"version":"0.1.0","protocols":["cap/automerge/1"]}</c>.
/// </summary>
/// <remarks>Immutable; thread-safe.</remarks>
/// <param name="NodeId">The sender's node id (its HOSTNAME), 1–253 characters.</param>
/// <param name="MeshPort">The TCP port the sender accepts mesh connections on (0 = none).</param>
/// <param name="BrokerPort">The sender's HTTP broker port (0 = none).</param>
/// <param name="Version">The sender's software version.</param>
/// <param name="Protocols">Protocols the sender speaks; index <c>i</c> is the stream id the sender uses for it.</param>
public sealed record PeerHello(string NodeId, int MeshPort, int BrokerPort, string Version, IReadOnlyList<string> Protocols)
{
    /// <summary>Most features a hello may list (32).</summary>
    public const int MaxFeatures = 32;

    /// <summary>
    /// Optional capabilities within the protocols (e.g. <c>sync-trace-context/1</c>: the sender accepts TraceContext sync
    /// frames), at most <see cref="MaxFeatures"/> names of at most <see cref="MeshProtocols.MaxNameLength"/> bytes. Encoded as
    /// <c>"features":[…]</c> only when non-empty; a receiver ignores features it does not know, and hellos without the
    /// field (older nodes) have none. Defaults to empty.
    /// </summary>
    public IReadOnlyList<string> Features { get; init; } = [];

    /// <summary>Largest encoded hello accepted, in bytes (4 KiB).</summary>
    public const int MaxEncodedSize = 4096;

    /// <summary>Most protocols a hello may list (32).</summary>
    public const int MaxProtocols = 32;

    /// <summary>Longest node id, in characters (a DNS name: 253).</summary>
    public const int MaxNodeIdLength = 253;

    /// <summary>Serializes the hello as UTF-8 JSON.</summary>
    public byte[] Encode()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("node_id", NodeId);
            writer.WriteNumber("mesh_port", MeshPort);
            writer.WriteNumber("broker_port", BrokerPort);
            writer.WriteString("version", Version);
            writer.WriteStartArray("protocols");
            foreach (var protocol in Protocols)
            {
                writer.WriteStringValue(protocol);
            }

            writer.WriteEndArray();
            if (Features.Count > 0)
            {
                writer.WriteStartArray("features");
                foreach (var feature in Features)
                {
                    writer.WriteStringValue(feature);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Parses and validates a hello.</summary>
    /// <exception cref="MeshTransportException">Malformed, oversized or invalid (<see cref="MeshTransportError.ProtocolViolation"/>).</exception>
    public static PeerHello Decode(ReadOnlySpan<byte> json)
    {
        if (json.Length > MaxEncodedSize)
        {
            throw Violation("hello exceeds " + MaxEncodedSize + " bytes");
        }

        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 4 });
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Violation("hello is not a JSON object");
            }

            var nodeId = root.TryGetProperty("node_id", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : null;
            if (string.IsNullOrEmpty(nodeId) || nodeId.Length > MaxNodeIdLength || nodeId.Any(char.IsControl))
            {
                throw Violation("hello has no valid node_id");
            }

            var meshPort = ReadPort(root, "mesh_port");
            var brokerPort = ReadPort(root, "broker_port");
            var version = root.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : string.Empty;
            if (version.Length > 64)
            {
                throw Violation("hello version is too long");
            }

            var protocols = new List<string>();
            if (root.TryGetProperty("protocols", out var p) && p.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in p.EnumerateArray())
                {
                    var name = item.ValueKind == JsonValueKind.String ? item.GetString() : null;
                    if (string.IsNullOrEmpty(name) || name.Length > MeshProtocols.MaxNameLength || protocols.Count >= MaxProtocols)
                    {
                        throw Violation("hello lists an invalid protocol or too many protocols");
                    }

                    protocols.Add(name);
                }
            }

            var features = new List<string>();
            if (root.TryGetProperty("features", out var f) && f.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in f.EnumerateArray())
                {
                    var name = item.ValueKind == JsonValueKind.String ? item.GetString() : null;
                    if (string.IsNullOrEmpty(name) || name.Length > MeshProtocols.MaxNameLength || features.Count >= MaxFeatures)
                    {
                        throw Violation("hello lists an invalid feature or too many features");
                    }

                    features.Add(name);
                }
            }

            return new PeerHello(nodeId, meshPort, brokerPort, version, protocols) { Features = features };
        }
        catch (JsonException e)
        {
            throw new MeshTransportException(MeshTransportError.ProtocolViolation, "Malformed hello: " + e.Message, e);
        }
    }

    private static int ReadPort(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value))
        {
            return 0;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var port) || port is < 0 or > 65535)
        {
            throw Violation("hello " + name + " is not a port number");
        }

        return port;
    }

    private static MeshTransportException Violation(string what) =>
        new(MeshTransportError.ProtocolViolation, "Invalid hello: " + what + ".");
}
