namespace PeatMesh.Node.Tests.Deployment;

/// <summary>One stage of <see cref="Dockerfile"/>: its name and its instructions after FROM, in order.</summary>
internal sealed class DockerfileStage(string name)
{
    public string Name { get; } = name;

    public List<(string Keyword, string Arguments)> Instructions { get; } = [];

    public IEnumerable<string> All(string keyword) => Instructions.Where(i => i.Keyword == keyword).Select(i => i.Arguments);

    /// <summary>The <c>ENV key=value …</c> assignments of the stage (values unquoted).</summary>
    public IReadOnlyDictionary<string, string> Env() =>
        All("ENV").SelectMany(a => a.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1].Trim('"') : string.Empty);
}
