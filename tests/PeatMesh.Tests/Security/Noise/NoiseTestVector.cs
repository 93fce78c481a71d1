using System.Text.Json;

namespace PeatMesh.Tests.Security.Noise;

/// <summary>One entry of a cacophony/snow/noise-c vector file (see testdata/noise/README.md).</summary>
internal sealed record NoiseTestVector(
    string File,
    int Index,
    string ProtocolName,
    byte[] InitPrologue,
    byte[] RespPrologue,
    byte[]? InitStatic,
    byte[]? InitEphemeral,
    byte[]? InitRemoteStatic,
    byte[]? RespStatic,
    byte[]? RespEphemeral,
    byte[]? RespRemoteStatic,
    IReadOnlyList<byte[]> InitPsks,
    IReadOnlyList<byte[]> RespPsks,
    byte[]? HandshakeHash,
    IReadOnlyList<(byte[] Payload, byte[] Ciphertext)> Messages)
{
    public static readonly string[] Files =
    [
        "cacophony_25519_ChaChaPoly_SHA256.json",
        "snow_25519_ChaChaPoly_SHA256.json",
        "noise-c-basic_25519_ChaChaPoly_SHA256.json",
    ];

    private static readonly Dictionary<string, IReadOnlyList<NoiseTestVector>> Cache = [];

    public static IReadOnlyList<NoiseTestVector> Load(string file)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(file, out var vectors))
            {
                vectors = Parse(file);
                Cache[file] = vectors;
            }

            return vectors;
        }
    }

    public override string ToString() => $"{File}#{Index} {ProtocolName}";

    private static List<NoiseTestVector> Parse(string file)
    {
        using var document = JsonDocument.Parse(System.IO.File.ReadAllBytes(RepoPaths.TestData("noise", file)));
        var result = new List<NoiseTestVector>();
        var index = 0;
        foreach (var v in document.RootElement.GetProperty("vectors").EnumerateArray())
        {
            var name = (v.TryGetProperty("protocol_name", out var pn) ? pn : v.GetProperty("name")).GetString()!;
            result.Add(new NoiseTestVector(
                file,
                index++,
                name,
                Hex(v, "init_prologue") ?? [],
                Hex(v, "resp_prologue") ?? [],
                Hex(v, "init_static"),
                Hex(v, "init_ephemeral"),
                Hex(v, "init_remote_static"),
                Hex(v, "resp_static"),
                Hex(v, "resp_ephemeral"),
                Hex(v, "resp_remote_static"),
                Psks(v, "init_psks", "init_psk"),
                Psks(v, "resp_psks", "resp_psk"),
                Hex(v, "handshake_hash"),
                [.. v.GetProperty("messages").EnumerateArray().Select(m =>
                    (Convert.FromHexString(m.GetProperty("payload").GetString()!), Convert.FromHexString(m.GetProperty("ciphertext").GetString()!)))]));
        }

        return result;
    }

    private static byte[]? Hex(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? Convert.FromHexString(value.GetString()!)
            : null;

    private static List<byte[]> Psks(JsonElement element, string listProperty, string singleProperty)
    {
        if (element.TryGetProperty(listProperty, out var list) && list.ValueKind == JsonValueKind.Array)
        {
            return [.. list.EnumerateArray().Select(p => Convert.FromHexString(p.GetString()!))];
        }

        return Hex(element, singleProperty) is { } single ? [single] : [];
    }
}
