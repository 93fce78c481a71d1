namespace PeatMesh.Tests.Discovery.Kubernetes;

/// <summary>One request the fake API server received.</summary>
/// <param name="Path">Request path.</param>
/// <param name="Query">Decoded query parameters.</param>
/// <param name="Authorization">The Authorization header as sent (empty when absent).</param>
internal sealed record RecordedRequest(string Path, IReadOnlyDictionary<string, string> Query, string Authorization)
{
    public bool IsWatch => Query.TryGetValue("watch", out var w) && w == "true";

    public string? Get(string name) => Query.TryGetValue(name, out var value) ? value : null;
}
