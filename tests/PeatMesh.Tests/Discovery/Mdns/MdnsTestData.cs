using System.Text.Json;

namespace PeatMesh.Tests.Discovery.Mdns;

/// <summary>The hand-built packets of <c>testdata/mdns/mdns_peat_packets.json</c> (verified against avahi 0.8 there).</summary>
internal static class MdnsTestData
{
    private static readonly Lazy<JsonElement> Root = new(() =>
        JsonDocument.Parse(File.ReadAllText(RepoPaths.TestData("mdns", "mdns_peat_packets.json"))).RootElement.Clone());

    /// <summary>The PTR browse query with the QM (multicast response) class.</summary>
    public static byte[] BrowseQueryQm => Hex("browse_query_QM");

    /// <summary>The PTR browse query with the QU bit set.</summary>
    public static byte[] BrowseQueryQu => Hex("browse_query_QU");

    /// <summary>The minimal DNS-SD response for <c>node-a._peat._udp.local</c> (195 bytes, uncompressed names).</summary>
    public static byte[] Response => Hex("response");

    /// <summary>The declared length of the response.</summary>
    public static int ResponseLength => Root.Value.GetProperty("response").GetProperty("length").GetInt32();

    private static byte[] Hex(string name) => Convert.FromHexString(Root.Value.GetProperty(name).GetProperty("hex").GetString()!);
}
