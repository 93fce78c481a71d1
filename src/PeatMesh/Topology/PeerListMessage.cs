using System.Text.Json;
using PeatMesh.Security;
using PeatMesh.Transport;

namespace PeatMesh.Topology;

/// <summary>
/// The peer-exchange message on protocol <c>peat/peers/1</c>: the members the sender can reach, as JSON
/// <c>{"members":[{"node_id","device_id","addresses":["host:port"],"hops"}]}</c>, or — to a peer whose hello lists
/// <see cref="UnchangedFeature"/> — exactly <c>{"unchanged":true}</c>, meaning "the same list as my last one on this
/// connection" (docs/protocol.md, peer exchange).
/// </summary>
/// <remarks>Thread-safe (stateless).</remarks>
public static class PeerListMessage
{
    /// <summary>The protocol name.</summary>
    public const string Protocol = "peat/peers/1";

    /// <summary>
    /// Hello feature of a node that understands the unchanged marker (<see cref="Unchanged"/>): an idle formation then
    /// repeats 18 bytes per peer and round instead of its whole member list.
    /// </summary>
    public const string UnchangedFeature = "peer-list-unchanged/1";

    /// <summary>Addresses kept per member (8).</summary>
    public const int MaxAddresses = 8;

    /// <summary>Serializes entries.</summary>
    public static byte[] Encode(IReadOnlyList<PeerListEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("members");
            foreach (var entry in entries)
            {
                writer.WriteStartObject();
                writer.WriteString("node_id", entry.NodeId);
                if (entry.DeviceId is { } deviceId)
                {
                    writer.WriteString("device_id", deviceId.ToString());
                }

                writer.WriteStartArray("addresses");
                foreach (var address in entry.Addresses.Take(MaxAddresses))
                {
                    writer.WriteStringValue(address.ToString());
                }

                writer.WriteEndArray();
                writer.WriteNumber("hops", entry.Hops);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// The unchanged marker, exactly these bytes: <c>{"unchanged":true}</c>. The receiver applies the sender's previous
    /// list on this connection again (refreshing its routes); sent only to peers listing <see cref="UnchangedFeature"/>.
    /// </summary>
    public static ReadOnlySpan<byte> Unchanged => """{"unchanged":true}"""u8;

    /// <summary>Whether <paramref name="message"/> is the <see cref="Unchanged"/> marker (byte for byte).</summary>
    public static bool IsUnchanged(ReadOnlySpan<byte> message) => message.SequenceEqual(Unchanged);

    /// <summary>Parses and validates a message; invalid members are skipped, a malformed message is rejected.</summary>
    /// <param name="json">The message.</param>
    /// <param name="maxBytes">Size limit checked first.</param>
    /// <param name="maxMembers">Most members accepted.</param>
    /// <exception cref="MeshTransportException"><see cref="MeshTransportError.ProtocolViolation"/> for malformed or oversized input.</exception>
    public static IReadOnlyList<PeerListEntry> Decode(ReadOnlySpan<byte> json, int maxBytes, int maxMembers)
    {
        if (json.Length > maxBytes)
        {
            throw Violation($"message of {json.Length} bytes exceeds {maxBytes}");
        }

        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 8 });
            using var document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("members", out var members) || members.ValueKind != JsonValueKind.Array)
            {
                throw Violation("no members array");
            }

            if (members.GetArrayLength() > maxMembers)
            {
                throw Violation($"more than {maxMembers} members");
            }

            var entries = new List<PeerListEntry>();
            foreach (var member in members.EnumerateArray())
            {
                if (TryParseEntry(member) is { } entry)
                {
                    entries.Add(entry);
                }
            }

            return entries;
        }
        catch (JsonException e)
        {
            throw new MeshTransportException(MeshTransportError.ProtocolViolation, "Malformed peer list: " + e.Message, e);
        }
    }

    private static PeerListEntry? TryParseEntry(JsonElement member)
    {
        if (member.ValueKind != JsonValueKind.Object
            || !member.TryGetProperty("node_id", out var nodeIdElement) || nodeIdElement.ValueKind != JsonValueKind.String
            || !member.TryGetProperty("hops", out var hopsElement) || !hopsElement.TryGetInt32(out var hops) || hops is < 0 or > 255)
        {
            return null;
        }

        var nodeId = nodeIdElement.GetString()!;
        if (nodeId.Length is 0 or > PeerHello.MaxNodeIdLength || nodeId.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return null;
        }

        DeviceId? deviceId = null;
        if (member.TryGetProperty("device_id", out var deviceElement) && DeviceId.TryParse(deviceElement.GetString(), out var parsed))
        {
            deviceId = parsed;
        }

        var addresses = new List<PeerAddress>();
        if (member.TryGetProperty("addresses", out var addressElement) && addressElement.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in addressElement.EnumerateArray().Take(MaxAddresses))
            {
                if (item.ValueKind == JsonValueKind.String && PeerAddress.TryParse(item.GetString(), out var address))
                {
                    addresses.Add(address);
                }
            }
        }

        return new PeerListEntry(nodeId, deviceId, addresses, hops);
    }

    private static MeshTransportException Violation(string what) =>
        new(MeshTransportError.ProtocolViolation, "Invalid peer list: " + what + ".");
}
