using System.Text.Json.Nodes;

namespace PeatMesh.Node.Tests.Deployment;

/// <summary>The manifests (as JSON objects) and NOTES.txt of one rendering of the chart.</summary>
internal sealed class RenderedChart
{
    public RenderedChart(string release, string ns, JsonObject rendered)
    {
        Release = release;
        Namespace = ns;
        Manifests = rendered["manifests"]!.AsArray().Select(m => m!["object"]!.AsObject()).ToList();
        Notes = (string?)rendered["notes"] ?? string.Empty;
    }

    public string Release { get; }

    public string Namespace { get; }

    public IReadOnlyList<JsonObject> Manifests { get; }

    public string Notes { get; }

    public IEnumerable<JsonObject> All(string kind) => Manifests.Where(m => (string?)m["kind"] == kind);

    public JsonObject Single(string kind) => Assert.Single(All(kind));

    public JsonObject? Named(string kind, string name) => All(kind).SingleOrDefault(m => Name(m) == name);

    public JsonObject StatefulSet => Single("StatefulSet");

    public JsonObject PodTemplate => StatefulSet["spec"]!["template"]!.AsObject();

    public JsonObject PodSpec => PodTemplate["spec"]!.AsObject();

    public JsonObject Container => Assert.Single(PodSpec["containers"]!.AsArray())!.AsObject();

    /// <summary>The headless Service the StatefulSet names (its <c>serviceName</c>).</summary>
    public JsonObject HeadlessService => Named("Service", (string)StatefulSet["spec"]!["serviceName"]!)
        ?? throw new InvalidOperationException("no Service named after the StatefulSet's serviceName");

    public static string Name(JsonNode manifest) => (string)manifest["metadata"]!["name"]!;

    public static IReadOnlyDictionary<string, string> Labels(JsonNode? metadata) =>
        metadata?["labels"]?.AsObject().ToDictionary(p => p.Key, p => (string)p.Value!) ?? new Dictionary<string, string>();

    public static IEnumerable<JsonObject> Items(JsonNode? array) => array?.AsArray().Select(n => n!.AsObject()) ?? [];

    /// <summary>The port of <paramref name="portsArray"/> named <paramref name="name"/>.</summary>
    public static JsonObject Port(JsonNode? portsArray, string name) =>
        Items(portsArray).SingleOrDefault(p => (string?)p["name"] == name) ?? throw new InvalidOperationException("no port named " + name);

    /// <summary>Whether every label of <paramref name="selector"/> is in <paramref name="labels"/> with the same value.</summary>
    public static bool Selects(IReadOnlyDictionary<string, string> selector, IReadOnlyDictionary<string, string> labels) =>
        selector.All(s => labels.TryGetValue(s.Key, out var value) && value == s.Value);
}
